# Helpers shared by every module's CMakeLists.txt.
#
#   accord_library(NAME crypto SOURCES a.cc b.cc DEPS accord_common OpenSSL::Crypto)
#     -> static library target accord_crypto, include root src/
#   accord_test(NAME crypto_test SOURCES a_test.cc DEPS accord_crypto LABELS unit)
#     -> GoogleTest executable registered with CTest under the given labels (default: unit)

set(ACCORD_WARNINGS -Wall -Wextra -Wpedantic)
if(ACCORD_WERROR)
  list(APPEND ACCORD_WARNINGS -Werror)
endif()

if(ACCORD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(ACCORD_FUZZ)
  # -fno-sanitize=function: clang-14 cannot compile C++20 coroutines with UBSan's function check.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

function(accord_library)
  cmake_parse_arguments(A "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(accord_${A_NAME} STATIC ${A_SOURCES})
  target_include_directories(accord_${A_NAME} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(accord_${A_NAME} PRIVATE ${ACCORD_WARNINGS})
  target_link_libraries(accord_${A_NAME} PUBLIC ${A_DEPS})
endfunction()

function(accord_test)
  cmake_parse_arguments(A "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(ACCORD_FUZZ)
    return()
  endif()
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  add_executable(${A_NAME} ${A_SOURCES})
  target_compile_options(${A_NAME} PRIVATE ${ACCORD_WARNINGS})
  target_include_directories(${A_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${A_NAME} PRIVATE
    ACCORD_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    ACCORD_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  # One CTest test per binary: gtest runs every case in one process (per-case processes would
  # regenerate RSA keys and restart throwaway servers for each case); the gtest output names any
  # failing case.
  add_test(NAME ${A_NAME} COMMAND ${A_NAME} --gtest_brief=1)
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}" TIMEOUT 900)
endfunction()

# accord_fuzzer(NAME jws_fuzzer SOURCES jws_fuzzer.cc DEPS accord_jose CORPUS dir)
#   -> libFuzzer binary (ACCORD_FUZZ builds only) and a CTest smoke run labelled fuzz-smoke
#      that replays the committed corpus and then fuzzes for a few seconds.
function(accord_fuzzer)
  cmake_parse_arguments(A "" "NAME;CORPUS" "SOURCES;DEPS" ${ARGN})
  if(NOT ACCORD_FUZZ)
    return()
  endif()
  add_executable(${A_NAME} ${A_SOURCES})
  target_include_directories(${A_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_link_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
  # `fuzzers` builds every fuzz target and only what they need.
  if(NOT TARGET fuzzers)
    add_custom_target(fuzzers)
  endif()
  add_dependencies(fuzzers ${A_NAME})
  set(work ${CMAKE_BINARY_DIR}/fuzz-work/${A_NAME})
  add_test(NAME ${A_NAME}_smoke
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      ${CMAKE_SOURCE_DIR}/fuzz/run_smoke.sh $<TARGET_FILE:${A_NAME}> ${A_CORPUS} ${work})
  set_tests_properties(${A_NAME}_smoke PROPERTIES LABELS fuzz-smoke TIMEOUT 300)
endfunction()

# accord_add_subdirectories(): adds every direct subdirectory of the current source directory that
# has a CMakeLists.txt (tests/, bench/, fuzz/ and their areas), in name order.
function(accord_add_subdirectories)
  file(GLOB subdirs LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT subdirs)
  foreach(sub IN LISTS subdirs)
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${sub} AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${sub}/CMakeLists.txt)
      add_subdirectory(${sub})
    endif()
  endforeach()
endfunction()
