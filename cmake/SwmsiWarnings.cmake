# SPDX-License-Identifier: MIT
# The warning set every target of the project builds with.
set(SWMSI_WARNING_FLAGS -Wall -Wextra -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla)
if(SWMSI_WERROR)
	list(APPEND SWMSI_WARNING_FLAGS -Werror)
endif()

function(swmsi_target_warnings target)
	target_compile_options(${target} PRIVATE ${SWMSI_WARNING_FLAGS})
endfunction()
