# CPack pre-build script: strips the staged executables the way Debian's dh_strip does.
# Beyond CPACK_STRIP_FILES' plain strip, the compiler's .comment and .note sections go too
# (lintian: binary-has-unneeded-section); .note.gnu.property, the CET marking, stays.
file(GLOB_RECURSE _executables LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*/bin/*")
if(NOT _executables)
  message(FATAL_ERROR "strip_binaries: no executables staged under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(exe IN LISTS _executables)
  execute_process(COMMAND "${CPACK_BERTLAB_STRIP}" --remove-section=.comment --remove-section=.note "${exe}"
                  RESULT_VARIABLE _result)
  if(NOT _result EQUAL 0)
    message(FATAL_ERROR "strip_binaries: ${CPACK_BERTLAB_STRIP} failed on ${exe}")
  endif()
endforeach()
