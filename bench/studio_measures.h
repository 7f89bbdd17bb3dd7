// What keeps the studio smooth, timed without Qt: the snapshot hand-off, a dream step on
// 784x784, the core of the filter-grid image, and full-MNIST memory in a child process.
#pragma once

#include "rbm/trainer.h"

namespace bench {

/// Median seconds to copy what the worker publishes after a batch of `t`, over `repeats`.
double snapshotSeconds(rbm::Trainer& t, int repeats);
/// Median seconds of a dream step on a 784x784 model: 8 chains, 10 units clamped, one hidden
/// unit forced (the dream panel's path).
double dreamStepSeconds(int repeats);
/// Median seconds of the filter grid's core for 784 hidden units (scaling to grey levels).
double filterGridCoreSeconds(int repeats);

/// The child of --memory-child: trains PCD-1 784x500 on 60,000 synthetic digits and prints
/// its peak and current RSS in MB.
int memoryChild();
double peakRssMb();

}  // namespace bench
