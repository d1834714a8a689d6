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

/**
 * @def SWMSI_API
 * @brief Marks a declaration exported from the shared libraries (nothing in
 * a static build, or with a compiler other than GCC or clang).
 */
#if defined(SWMSI_STATIC)
#define SWMSI_API
#elif defined(__GNUC__) || defined(__clang__)
#define SWMSI_API __attribute__((visibility("default")))
#else
#define SWMSI_API
#endif

/**
 * @def SWMSI_DEPRECATED(msg)
 * @brief Marks a v0.2 spelling kept for compatibility (deprecated.h), with
 * @p msg naming its replacement.
 *
 * It expands to nothing unless the consumer defines SWMSI_WARN_DEPRECATED
 * before including a libswmsi header, so that a program built with -Werror
 * never breaks on a renaming it did not ask to hear about; with it, GCC and
 * clang warn at each use (-Wdeprecated-declarations).
 */
#if defined(SWMSI_WARN_DEPRECATED) && (defined(__GNUC__) || defined(__clang__))
#define SWMSI_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#define SWMSI_DEPRECATED(msg)
#endif

#endif /* SWMSI_EXPORT_H */
