# Warnings and sanitizers as INTERFACE targets, linked PRIVATE into our own
# targets: third-party headers and global flags stay untouched.
add_library(rbm_warnings INTERFACE)
target_compile_options(rbm_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-align
   -Wunused -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2
   -Wimplicit-fallthrough>
  # GCC 12 reports false maybe-uninitialized warnings inside Eigen's AVX-512 kernels.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)

add_library(rbm_options INTERFACE)
if(RBM_NATIVE)
  target_compile_options(rbm_options INTERFACE -march=native)
endif()
# Eigen: no hidden allocation checks in release; keep asserts in debug.
target_compile_definitions(rbm_options INTERFACE $<$<CONFIG:Release>:EIGEN_NO_DEBUG>)
if(RBM_SANITIZE)
  string(REPLACE ";" "," _san "${RBM_SANITIZE}")
  target_compile_options(rbm_options INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(rbm_options INTERFACE -fsanitize=${_san})
endif()

# rbm_add_qtest(NAME LABELS <labels> SOURCES <files> LIBS <targets> [TIMEOUT s])
# Registers one Qt Test executable with CTest, offscreen, labelled and time-boxed.
function(rbm_add_qtest name)
  cmake_parse_arguments(T "" "TIMEOUT" "LABELS;SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS} rbm_warnings rbm_options)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;RBM_TEST_DATA=${PROJECT_SOURCE_DIR}/resources/mnist-10k;RBM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
