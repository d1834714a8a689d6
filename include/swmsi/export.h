/* SPDX-License-Identifier: MIT */
/**
 * @file export.h
 * @brief Symbol visibility for libswmsi and libswmsi-mock.
 *
 * Both libraries build with hidden visibility; only declarations marked
 * SWMSI_API are exported from the shared objects. A static build defines
 * SWMSI_STATIC (the CMake targets and pkg-config files do so), which makes
 * the macro expand to nothing.
 */
#ifndef SWMSI_EXPORT_H
#define SWMSI_EXPORT_H

#if defined(SWMSI_STATIC)
#define SWMSI_API
#elif defined(__GNUC__) || defined(__clang__)
#define SWMSI_API __attribute__((visibility("default")))
#else
#define SWMSI_API
#endif

#endif /* SWMSI_EXPORT_H */
