#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the uAPI fuzzer's seeds: the requests tests/uapi_abi_only.c makes,
encoded in fuzz_uapi.c's input format (its header comment), under each
scheme and page size, with and without devices attached, and the same
requests with their struct moved onto bad memory. The seeds folder also
keeps inputs the fuzzer found (found_*.bin), which this script leaves be.
usage: gen_uapi_seeds.py OUT_DIR"""
import os
import struct
import sys

# requests[] of fuzz_uapi.c
DESTROY, IOAS_ALLOC, IOVA_RANGES, MAP, UNMAP, HWPT_ALLOC = 0, 1, 4, 5, 6, 9
SIZE_OURS, SIZE_RAW, SIZE_MIN, SIZE_LONG = 0, 1, 2, 3
WHERE_OURS, WHERE_NULL, WHERE_NONE, WHERE_END, WHERE_RO = 0, 1, 2, 3, 4
FIXED_RW = 1 | 2 | 4  # FIXED_IOVA | WRITEABLE | READABLE


def req(op, body, where=WHERE_OURS, size=SIZE_OURS, patches=(), back=0, raw_req=None):
    out = bytes([op])
    if raw_req is not None:
        out += struct.pack(">I", raw_req)
    out += bytes([where]) + (bytes([back]) if where == WHERE_END else b"")
    out += bytes([len(body)]) + body + bytes([size])
    if size == SIZE_LONG:
        out += bytes([0, 0x5A])
    out += bytes([len(patches)])
    for off, kind, arg in patches:
        out += bytes([off, kind]) + arg
    return out


def id_at(off, sel):
    """Patch: the context's id number sel (ascending) at off."""
    return (off, 0, bytes([sel]))


def newest_at(off, sel=0):
    """Patch: the context's id number sel counted from the newest at off."""
    return (off, 3, bytes([sel]))


def stale_at(off):
    """Patch: an id nothing has had yet."""
    return (off, 4, struct.pack(">I", 0xFFFE))


def ptr_aux(off, at=64):
    return (off, 5, bytes([at]))


def abi_only(bad=False):
    """uapi_abi_only.c's main sequence; the IOAS it allocates is the newest
    object until its destroy."""
    alloc = struct.pack("<III", 12, 0, 0)
    mapc = struct.pack("<IIIIQQQ", 40, FIXED_RW, 0, 0, 0x200000, 4 * 4096, 0x100000)
    ranges = struct.pack("<IIIIQQ", 32, 0, 4, 0, 0, 0)
    ranges0 = struct.pack("<IIIIQQ", 32, 0, 0, 0, 0, 0)
    unmap = struct.pack("<IIQQ", 24, 0, 0, 0xFFFFFFFFFFFFFFFF)
    destroy = struct.pack("<II", 8, 0)
    s = req(IOAS_ALLOC, alloc)
    s += req(MAP, mapc, patches=[newest_at(8)])
    s += req(MAP, mapc, patches=[newest_at(8)])  # EEXIST
    s += req(IOVA_RANGES, ranges, patches=[newest_at(4), ptr_aux(16)])
    s += req(IOVA_RANGES, ranges0, patches=[newest_at(4), ptr_aux(16)])  # EMSGSIZE
    if bad:
        s += req(MAP, mapc, where=WHERE_END, back=20, patches=[newest_at(8)])
        s += req(IOVA_RANGES, ranges, patches=[newest_at(4), (16, 7, b"")])
        s += req(UNMAP, unmap, size=SIZE_LONG, patches=[newest_at(4)])
    s += req(UNMAP, unmap, patches=[newest_at(4)])
    if bad:  # read-only structs: read, served, the write-back faults, undone
        s += req(MAP, mapc, where=WHERE_RO, patches=[newest_at(8)])
        s += req(IOAS_ALLOC, alloc, where=WHERE_RO)
    s += req(DESTROY, destroy, patches=[newest_at(4)])
    s += req(DESTROY, destroy, patches=[stale_at(4)])  # ENOENT
    s += req(DESTROY, struct.pack("<II", 4, 1), size=SIZE_RAW)  # EINVAL
    s += req(DESTROY, destroy, where=WHERE_NULL)  # EFAULT
    s += req(0xE0, destroy, raw_req=(ord(";") << 8) | 0x7F)  # ENOTTY
    return s


def with_devices(ndev):
    """Devices bound, one attached to the IOAS, then the main sequence and a
    HWPT allocated over the IOAS for device 1."""
    alloc = struct.pack("<III", 12, 0, 0)
    mapc = struct.pack("<IIIIQQQ", 40, FIXED_RW, 0, 0, 0x200000, 4 * 4096, 0x100000)
    hwpt = struct.pack("<IIIIIIIIQII", 48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    s = req(IOAS_ALLOC, alloc)
    s += bytes([0xF0, 0, ndev])  # attach device 0 to the IOAS (ids: devices, then it)
    s += req(MAP, mapc, patches=[id_at(8, ndev)])
    s += req(HWPT_ALLOC, hwpt, patches=[id_at(8, 1), id_at(12, ndev)])
    s += bytes([0xF8, 0, ndev + 2])  # replace onto the new HWPT (after the auto one)
    s += bytes([0xFC, 0, 0])  # detach
    return s + abi_only()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {}
    for scheme, sname in ((0, "native"), (1, "kernel"), (2, "dma_iommu")):
        for shift, pname in ((0, "4k"), (1, "16k"), (2, "64k")):
            hdr = bytes([scheme | shift << 2])
            seeds[f"abi_only_{sname}_{pname}"] = hdr + bytes([0]) + abi_only()
        hdr = bytes([scheme])
        seeds[f"abi_only_bad_{sname}"] = hdr + bytes([0]) + abi_only(bad=True)
        seeds[f"devices_{sname}"] = hdr + bytes([2]) + with_devices(2)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
