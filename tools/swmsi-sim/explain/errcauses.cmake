# SPDX-License-Identifier: MIT
# Builds errcauses.c from docs/errors.md: one entry per (function, error)
# row of its "Per function" tables, the cause with its backquotes dropped
# and without the clauses about NULL pointers (a scenario never passes one).
# The simulator prints the cause after a library error it did not expect,
# so the words are the documentation's and cannot drift from it.
# usage: cmake -DIN=docs/errors.md -DOUT=errcauses.c -P errcauses.cmake
file(STRINGS ${IN} lines)
set(body "")
set(fn "")
foreach(line IN LISTS lines)
	if(NOT line MATCHES "^\\| *([^|]*)\\| *([^|]*)\\| *([^|]*)\\|$")
		set(fn "")
		continue()
	endif()
	set(c1 "${CMAKE_MATCH_1}")
	set(c2 "${CMAKE_MATCH_2}")
	set(c3 "${CMAKE_MATCH_3}")
	string(STRIP "${c1}" c1)
	string(STRIP "${c3}" c3)
	if(c1 MATCHES "^`(swmsi_[a-z0-9_]+)\\(\\)`$")
		set(fn "${CMAKE_MATCH_1}")
	elseif(NOT c1 STREQUAL "")
		set(fn "")
	endif()
	if(fn STREQUAL "")
		continue()
	endif()
	string(REPLACE "`" "" c3 "${c3}")
	string(REPLACE "\"" "'" c3 "${c3}")
	# Drop the clauses about NULL pointers: "ctx NULL; x not aligned".
	string(REPLACE "; " ";" parts "${c3}")
	set(kept "")
	foreach(p IN LISTS parts)
		if(NOT p MATCHES "NULL")
			list(APPEND kept "${p}")
		endif()
	endforeach()
	list(JOIN kept "; " cause)
	if(cause STREQUAL "")
		continue()
	endif()
	string(REGEX MATCHALL "-E[A-Z0-9]+" errs "${c2}")
	foreach(e IN LISTS errs)
		string(SUBSTRING "${e}" 1 -1 e)
		string(APPEND body "\t{ \"${fn}\", \"${e}\", \"${cause}\" },\n")
	endforeach()
endforeach()
file(WRITE ${OUT}.tmp "/* Generated from docs/errors.md by errcauses.cmake: do not edit. */
#include \"explain.h\"

const struct sim_err_cause sim_err_causes[] = {
${body}};
const unsigned int sim_err_ncauses = sizeof(sim_err_causes) / sizeof(sim_err_causes[0]);
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
