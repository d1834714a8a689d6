/* SPDX-License-Identifier: MIT */
/**
 * @file testing.h
 * @brief libswmsi's test hooks: fault injection, for test suites only.
 *
 * Nothing here is needed to use the library; a production program has no
 * reason to include it. Up to v0.2 swmsi.h declared these itself; it still
 * makes them visible to a program that includes only swmsi.h (see
 * deprecated.h), and with SWMSI_WARN_DEPRECATED defined such a use warns,
 * pointing here.
 */
#ifndef SWMSI_TESTING_H
#define SWMSI_TESTING_H

#include <swmsi/export.h>

/* swmsi.h's deprecated spelling of the hook, when it made one (see
 * deprecated.h): from here on the real declaration serves. */
#undef swmsi_ctx_fail_alloc

#ifdef __cplusplus
extern "C" {
#endif

struct swmsi_ctx;

/**
 * @brief Fault injection for tests: the @p nth internal allocation from now
 * (1 = the next) fails, once; the call that needed it returns -ENOMEM and
 * changes nothing.
 * @param[in] ctx the context.
 * @param[in] nth which allocation fails, counted over every call on @p ctx;
 * 0 disarms.
 * @return 0 on success, or a negative errno:
 * - -EINVAL: @p ctx NULL.
 * @par Thread safety
 * Safe; takes the context lock. Calls from other threads count too.
 * @par Undo
 * swmsi_ctx_fail_alloc() with @p nth 0; a fault that fired disarms itself.
 */
SWMSI_API int swmsi_ctx_fail_alloc(struct swmsi_ctx *ctx, unsigned int nth);

#ifdef __cplusplus
}
#endif

#endif /* SWMSI_TESTING_H */
