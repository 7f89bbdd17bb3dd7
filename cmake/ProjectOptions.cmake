# Warnings and sanitizers as INTERFACE targets, linked PRIVATE into our own
# targets: third-party headers and global flags stay untouched.
add_library(rbm_warnings INTERFACE)
target_compile_options(rbm_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-align
   -Wunused -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2
   -Wimplicit-fallthrough>
  # GCC 12 reports false maybe-uninitialized warnings inside Eigen's AVX-512 kernels.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
# The numerical library also refuses silent narrowing and sign changes (an index that wraps,
# a double that loses precision into a float without a cast saying so).
add_library(rbm_core_warnings INTERFACE)
target_compile_options(rbm_core_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wconversion -Wsign-conversion>)
# CI turns warnings into errors (scripts/test under CI=true, the asan and tsan presets); a
# local build only reports them, so a new compiler's new warning does not stop a user's build.
option(RBM_WERROR "Treat compiler warnings in our own code as errors" OFF)
if(RBM_WERROR)
  target_compile_options(rbm_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
endif()

# rbm_build_options: what every one of our translation units gets (definitions, sanitizers).
# rbm_options adds the target processor: plain x86-64 by default, so one binary runs on any
# x86-64 machine; the matrix products pick AVX2 or AVX-512 kernels at run time instead
# (core/rbm/products.h, whose per-instruction-set objects link rbm_build_options only).
# RBM_NATIVE=ON tunes everything else to the build machine too, for local experiments.
add_library(rbm_build_options INTERFACE)
add_library(rbm_options INTERFACE)
target_link_libraries(rbm_options INTERFACE rbm_build_options)
if(RBM_NATIVE)
  target_compile_options(rbm_options INTERFACE -march=native)
endif()
# Eigen: no hidden allocation checks in release; keep asserts in debug.
target_compile_definitions(rbm_build_options INTERFACE $<$<CONFIG:Release>:EIGEN_NO_DEBUG>)
if(RBM_SANITIZE)
  string(REPLACE ";" "," _san "${RBM_SANITIZE}")
  target_compile_options(rbm_build_options INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(rbm_build_options INTERFACE -fsanitize=${_san})
  # Code that measures memory or time says so at compile time: #ifdef RBM_SANITIZED QSKIP(...).
  target_compile_definitions(rbm_build_options INTERFACE RBM_SANITIZED)
endif()
# A sanitizer makes the Eigen-heavy tests 5-20x slower (test_ais: 23 s release, over 120 s
# under ASan): their CTest timeouts, set for release builds, are scaled by this factor.
set(RBM_SANITIZER_TIMEOUT_SCALE 8 CACHE STRING "Test timeout multiplier of sanitizer builds")

# rbm_add_qtest(NAME LABELS <labels> SOURCES <files> LIBS <targets> [TIMEOUT s])
# Registers one Qt Test executable with CTest, offscreen, labelled and time-boxed. Labels:
# core / ui / cli / reliability for the area, `slow` for tests over ~15 s in a release build
# (`ctest -LE slow` for a quick run; the sanitizer builds leave them out), `perf` for
# measurements. TIMEOUT is for a release build; sanitizer builds scale it.
function(rbm_add_qtest name)
  cmake_parse_arguments(T "" "TIMEOUT" "LABELS;SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set(_env "QT_QPA_PLATFORM=offscreen" "RBM_TEST_DATA=${PROJECT_SOURCE_DIR}/resources/mnist-10k"
           "RBM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(RBM_SANITIZE)
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * ${RBM_SANITIZER_TIMEOUT_SCALE}")
    # Qt Test's own watchdog (5 min per function by default) gets the same time as CTest.
    # The sanitizers' options and their one suppression file each live here, so a plain
    # `ctest` in a sanitizer build runs as CI does (scripts/ci-sanitizers).
    set(_supp ${PROJECT_SOURCE_DIR}/tests/sanitizers)
    list(APPEND _env "QTEST_FUNCTION_TIMEOUT=${T_TIMEOUT}000"
      "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:check_initialization_order=1"
      "LSAN_OPTIONS=suppressions=${_supp}/lsan.supp:print_suppressions=0"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
      "TSAN_OPTIONS=suppressions=${_supp}/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4")
  endif()
  add_executable(${name} ${T_SOURCES})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS} rbm_warnings rbm_options)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "${_env}")
endfunction()
