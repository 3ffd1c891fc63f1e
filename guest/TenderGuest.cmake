# TenderGuest.cmake: build tender guest images with CMake.
#
# Included by guest/CMakeLists.txt in the source tree, and by
# tender-guestConfig.cmake once installed; either way the target
# tender::guest (the library with its flags) must exist first.
#
#   tender_add_guest(NAME [STRIPPED] SOURCES file.c...)
#
# builds NAME.elf in the current binary directory from the C sources,
# linked with libtender_guest and the tender-guest.ld linker script.
# NAME.elf keeps its symbols and debug information, for gdb and core
# files; with STRIPPED, NAME.stripped.elf is made from it too, without
# them, for deployment (the ABI and manifest notes are loaded sections,
# which stripping keeps).

include_guard(GLOBAL)

# Flags for compiling guest code (the library and applications alike): a
# freestanding kernel at 1 MiB with no red zone (exceptions run on the
# current stack), a global stack-protector guard (there is no TLS for the
# default %fs-based one) and only the compiler's own headers.
set(TENDER_GUEST_C_FLAGS
  -ffreestanding
  -fno-pie
  -mno-red-zone
  -mcmodel=small
  -fstack-protector-strong
  -mstack-protector-guard=global
  -nostdinc)

# Flags for linking an image; the linker script and libraries come apart.
set(TENDER_GUEST_LINK_FLAGS
  -nostdlib
  -static
  -no-pie
  -Wl,-z,max-page-size=0x1000
  -Wl,--build-id=none)

# The directory of the compiler's freestanding headers (stddef.h, stdint.h,
# stdarg.h, ...), which -nostdinc takes away with the rest.
function(tender_guest_compiler_include_dir out)
  execute_process(
    COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
    OUTPUT_VARIABLE dir
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT EXISTS "${dir}/stddef.h")
    message(FATAL_ERROR
      "tender-guest: cannot find the freestanding headers of "
      "${CMAKE_C_COMPILER}")
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

function(tender_add_guest name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STRIPPED" "" "SOURCES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "tender_add_guest(${name}): no SOURCES given")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "tender_add_guest(${name}): unexpected ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_executable(${name} ${arg_SOURCES})
  set_target_properties(${name} PROPERTIES
    SUFFIX ".elf"
    POSITION_INDEPENDENT_CODE OFF)
  target_link_libraries(${name} PRIVATE tender::guest)
  if(arg_STRIPPED)
    if(NOT CMAKE_STRIP)
      message(FATAL_ERROR "tender_add_guest(${name} STRIPPED): no strip tool")
    endif()
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND ${CMAKE_STRIP} --strip-all -o
        ${CMAKE_CURRENT_BINARY_DIR}/${name}.stripped.elf $<TARGET_FILE:${name}>
      BYPRODUCTS ${CMAKE_CURRENT_BINARY_DIR}/${name}.stripped.elf
      VERBATIM)
  endif()
endfunction()
