// sparse-crossover: where the sparse data-side products of a CD step (products.h) beat the
// dense ones, per instruction-set variant, on 784 x 500 with batch 100 (issue 14). Each pair
// times the two dense products (W^T x and the gradient's x p(h)^T) against the sparse ones
// (compression, its twin and the transposed copy of W included), alternately; the ratio is the
// median of the per-pair ratios of CPU time of this thread. Sets sparseDataProductPays' bounds.
// --training: rbm-bench's configurations trained with the sparse products off and on, two
// trainers in this process alternating blocks of batches (on/off rate per CPU-second).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "bench_common.h"
#include "rbm/dataset_files.h"
#include "rbm/products.h"
#include "training_rates.h"

using namespace rbm;

namespace {

constexpr Eigen::Index kVisible = 784, kHidden = 500, kBatch = 100;

Matrix randomData(double density, bool grey, std::mt19937& gen) {
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Matrix x(kVisible, kBatch);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const bool on = static_cast<double>(u(gen)) < density;
        x.data()[i] = on ? (grey ? 0.05f + 0.95f * u(gen) : 1.0f) : 0.0f;
    }
    return x;
}

/// Nonzero fraction of the embedded digits' batches of 100 (pixels > `threshold`), over the
/// pixels not zero in the batch.
double digitsDensity(int threshold) {
    const Dataset d = loadEmbeddedMnist().train;
    const std::size_t pixels = static_cast<std::size_t>(d.rows) * static_cast<std::size_t>(d.cols);
    double sum = 0.0;
    int batches = 0;
    for (std::size_t b0 = 0; b0 + kBatch <= d.count && batches < 50; b0 += kBatch, ++batches) {
        std::size_t nonzero = 0, active = 0;
        for (std::size_t p = 0; p < pixels; ++p) {
            std::size_t on = 0;
            for (std::size_t b = b0; b < b0 + kBatch; ++b) on += d.image(b)[p] > threshold ? 1 : 0;
            nonzero += on;
            active += on > 0;
        }
        sum += static_cast<double>(nonzero) / static_cast<double>(active * kBatch);
    }
    return sum / batches;
}

struct Workspace {
    Matrix w, h, hp, g, wT;
    SparseColumns cols, rows;
};

double denseSeconds(Workspace& s, const Matrix& x, int reps) {
    const double t0 = bench::threadCpuSeconds();
    for (int r = 0; r < reps; ++r) {
        multiply(s.h, s.w, Op::Transposed, x, Op::Plain);
        multiply(s.g, x, Op::Plain, s.hp, Op::Transposed, 0.01f, true);
    }
    bench::keep(s.g(3, 3));
    return bench::threadCpuSeconds() - t0;
}

double sparseSeconds(Workspace& s, const Matrix& x, int reps, bool forwardOnly, bool gradientOnly) {
    const double t0 = bench::threadCpuSeconds();
    for (int r = 0; r < reps; ++r) {
        s.cols.assign(x);
        if (!gradientOnly) {
            transpose(s.wT, s.w);
            multiply(s.h, s.wT, s.cols);
        } else {
            multiply(s.h, s.w, Op::Transposed, x, Op::Plain);
        }
        if (!forwardOnly) {
            s.rows.assignTransposed(s.cols);
            multiplyTransposedAdd(s.g, s.hp, s.rows, 0.01f);
        } else {
            multiply(s.g, x, Op::Plain, s.hp, Op::Transposed, 0.01f, true);
        }
    }
    bench::keep(s.g(3, 3));
    return bench::threadCpuSeconds() - t0;
}

/// Two trainers of one configuration, blocks of batches alternately with the sparse products
/// off and on: the median of the per-block ratios of CPU time, and each side's median rate.
void trainingPairs(int pairs, bool binarized) {
    struct Row {
        const char* name;
        Algorithm algorithm;
        int k, hidden, batch, blockBatches;
    };
    const Row rows[] = {{"CD-1 784x500, batch 100", Algorithm::CD, 1, 500, 100, 10},
                        {"PCD-1 784x500, batch 100", Algorithm::PCD, 1, 500, 100, 10},
                        {"CD-10 784x500, batch 100", Algorithm::CD, 10, 500, 100, 3},
                        {"TF2: PCD-5 784x784, batch 5", Algorithm::PCD, 5, 784, 5, 30}};
    std::printf("\n%s%s; sparse products off vs on, blocks alternated in one process, median of %d pairs\n",
                isaName(activeIsa()), binarized ? ", digits binarized (pixel > 127)" : "", pairs);
    std::printf("| configuration | off, per CPU-second | on, per CPU-second | on / off |\n| --- | ---: | ---: | ---: |\n");
    for (const Row& row : rows) {
        TrainingConfig c = bench::standardConfig(row.algorithm, row.k, row.hidden, row.batch);
        if (binarized) c.binarization = Binarization::Threshold;
        Trainer off(bench::embeddedTrain(), nullptr, c), on(bench::embeddedTrain(), nullptr, c);
        std::vector<double> ratio, rateOff, rateOn;
        auto block = [&](Trainer& t, bool sparse) {
            setSparseProducts(sparse);
            const double t0 = bench::threadCpuSeconds();
            for (int i = 0; i < row.blockBatches; ++i) t.trainBatch();
            return (bench::threadCpuSeconds() - t0) / row.blockBatches;
        };
        block(off, false);
        block(on, true);
        for (int p = 0; p < pairs; ++p) {
            const double a = block(off, false), b = block(on, true);
            ratio.push_back(a / b);
            rateOff.push_back(row.batch / a);
            rateOn.push_back(row.batch / b);
        }
        const char* unit = row.batch == 5 ? "it/s" : "samples/s";
        const double scale = row.batch == 5 ? 1.0 / row.batch : 1.0;
        std::printf("| %s | %.0f %s | %.0f %s | %.2fx |\n", row.name, bench::median(rateOff) * scale, unit,
                    bench::median(rateOn) * scale, unit, bench::median(ratio));
        std::fflush(stdout);
    }
    setSparseProducts(true);
}

}  // namespace

int main(int argc, char** argv) {
    int pairs = 7, reps = 20;
    bool training = false, binarized = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--pairs") && i + 1 < argc) pairs = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--training")) training = true;
        else if (!std::strcmp(argv[i], "--binarized")) binarized = true;
        else {
            std::printf("usage: sparse-crossover [--pairs N] [--reps N] [--training [--binarized]]\n"
                        "  --training:  the trainer's rates with the sparse products off and on instead\n"
                        "               (in the variant RBM_ISA chooses)\n"
                        "  --binarized: ... on the digits binarized (pixel > 127)\n");
            return 0;
        }
    }
    if (training) {
        trainingPairs(pairs, binarized);
        return 0;
    }
    std::mt19937 gen(3);
    std::normal_distribution<float> normal(0.0f, 0.01f);
    Workspace s;
    s.w = Matrix::NullaryExpr(kVisible, kHidden, [&] { return normal(gen); });
    s.hp = Matrix::NullaryExpr(kHidden, kBatch, [&] { return 0.5f + 10.0f * normal(gen); });
    s.h.resize(kHidden, kBatch);
    s.g.setZero(kVisible, kHidden);
    s.wT.resize(kHidden, kVisible);
    std::printf("embedded digits, batch 100: density %.3f over the batch's nonzero pixels (%.3f binarized, pixel > 127)\n",
                digitsDensity(0), digitsDensity(127));
    std::printf("dense / sparse CPU time, both data-side products (forward only, gradient only); median of %d pairs\n",
                pairs);
    std::printf("| variant | data | density | both | W^T x | x p(h)^T |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
    const double densities[] = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5};
    for (Isa isa : kIsas) {
        if (!setActiveIsa(isa)) continue;
        for (bool grey : {false, true})
            for (double d : densities) {
                const Matrix x = randomData(d, grey, gen);
                std::vector<double> both, fwd, grad;
                for (int p = 0; p < pairs; ++p) {
                    const double dense = denseSeconds(s, x, reps);
                    both.push_back(dense / sparseSeconds(s, x, reps, false, false));
                    fwd.push_back(dense / sparseSeconds(s, x, reps, true, false));
                    grad.push_back(dense / sparseSeconds(s, x, reps, false, true));
                }
                std::printf("| %s | %s | %.2f | %.2fx | %.2fx | %.2fx |\n", isaKey(isa), grey ? "grey" : "0/1", d,
                            bench::median(both), bench::median(fwd), bench::median(grad));
                std::fflush(stdout);
            }
    }
    return 0;
}
