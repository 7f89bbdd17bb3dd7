// The matrix products of core/rbm/products.h in every instruction-set variant this processor
// runs: each against a plain double-precision formula (all four transpositions, strided
// blocks, alpha, accumulation, empty depth), the variants against each other, a short
// training run under each, and the RBM_ISA choice (CTest runs this binary a second time with
// RBM_ISA=baseline: test_products_baseline).
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "rbm/dataset.h"
#include "rbm/products.h"
#include "rbm/random.h"
#include "rbm/trainer.h"
#include "fixtures.h"

using namespace rbm;

namespace {

Matrix randomMatrix(Eigen::Index rows, Eigen::Index cols, Random& rng, double zeros = 0.0) {
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = rng.uniformDouble() < zeros ? 0.0f : static_cast<float>(rng.normal());
    return m;
}

/// op(a) op(b) in double, element by element.
Eigen::MatrixXd reference(const Matrix& a, Op opA, const Matrix& b, Op opB) {
    const Eigen::MatrixXd x = opA == Op::Transposed ? Eigen::MatrixXd(a.transpose().cast<double>()) : a.cast<double>();
    const Eigen::MatrixXd y = opB == Op::Transposed ? Eigen::MatrixXd(b.transpose().cast<double>()) : b.cast<double>();
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(x.rows(), y.cols());
    for (Eigen::Index i = 0; i < x.rows(); ++i)
        for (Eigen::Index j = 0; j < y.cols(); ++j)
            for (Eigen::Index k = 0; k < x.cols(); ++k) r(i, j) += x(i, k) * y(k, j);
    return r;
}

/// Restores the variant chosen at start-up after each test function.
struct IsaGuard {
    Isa saved = activeIsa();
    ~IsaGuard() { setActiveIsa(saved); }
};

}  // namespace

class TestProducts : public QObject {
    Q_OBJECT
private slots:
    void baselineAlwaysRuns();
    void environmentChoosesTheVariant();
    void productsMatchThePlainFormula_data();
    void productsMatchThePlainFormula();
    void variantsAgree();
    void sparseProductsMatchThePlainFormula_data();
    void sparseProductsMatchThePlainFormula();
    void sparseDataProductsMatchThePlainFormula_data();
    void sparseDataProductsMatchThePlainFormula();
    void sparseDataProductsIgnoreTheSplit();
    void trainingAgreesAcrossVariants();
    void sparseTrainingAgreesWithDense_data();
    void sparseTrainingAgreesWithDense();
};

void TestProducts::baselineAlwaysRuns() {
    QVERIFY(isaSupported(Isa::Baseline));
    QVERIFY(isaSupported(activeIsa()));
    QVERIFY(!isaChoice().empty());
    QVERIFY(std::strlen(isaPackets(activeIsa())) > 0);
    for (Isa isa : kIsas)
        if (!isaSupported(isa)) {
            const Isa before = activeIsa();
            QVERIFY(!setActiveIsa(isa));
            QCOMPARE(activeIsa(), before);
        }
}

void TestProducts::environmentChoosesTheVariant() {
    const char* asked = std::getenv("RBM_ISA");
    if (!asked || !*asked) {
        // Unforced: the widest variant this processor runs.
        Isa widest = Isa::Baseline;
        for (Isa isa : kIsas)
            if (isaSupported(isa)) widest = isa;
        QCOMPARE(activeIsa(), widest);
        return;
    }
    for (Isa isa : kIsas)
        if (std::strcmp(asked, isaKey(isa)) == 0 && isaSupported(isa)) {
            QCOMPARE(activeIsa(), isa);
            QVERIFY(isaChoice().find(std::string("RBM_ISA=") + asked) != std::string::npos);
            return;
        }
    QVERIFY(isaChoice().find("ignored") != std::string::npos);
}

void TestProducts::productsMatchThePlainFormula_data() {
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<bool>("ta");
    QTest::addColumn<bool>("tb");
    QTest::addColumn<double>("zeros");
    // Ragged sizes (not multiples of any packet), thin trainer-like shapes, sparse operands.
    QTest::newRow("plain 37x29x53") << 37 << 29 << 53 << false << false << 0.0;
    QTest::newRow("A^T 50x7x61") << 50 << 7 << 61 << true << false << 0.0;
    QTest::newRow("B^T 61x50x9 sparse") << 61 << 50 << 9 << false << true << 0.8;
    QTest::newRow("A^T B^T 13x17x19") << 13 << 17 << 19 << true << true << 0.3;
    QTest::newRow("depth 1") << 40 << 33 << 1 << true << false << 0.0;
    QTest::newRow("depth 0") << 12 << 9 << 0 << false << true << 0.0;
}

void TestProducts::productsMatchThePlainFormula() {
    QFETCH(int, m);
    QFETCH(int, n);
    QFETCH(int, k);
    QFETCH(bool, ta);
    QFETCH(bool, tb);
    QFETCH(double, zeros);
    IsaGuard guard;
    Random rng(11);
    const Op opA = ta ? Op::Transposed : Op::Plain, opB = tb ? Op::Transposed : Op::Plain;
    // Operands and result are blocks inside larger matrices: strides differ from the rows.
    const Matrix bigA = randomMatrix((ta ? k : m) + 5, (ta ? m : k) + 3, rng, zeros);
    const Matrix bigB = randomMatrix((tb ? n : k) + 2, (tb ? k : n) + 4, rng, zeros);
    const Matrix a = bigA.block(3, 1, ta ? k : m, ta ? m : k);
    const Matrix b = bigB.block(1, 2, tb ? n : k, tb ? k : n);
    const Eigen::MatrixXd want = reference(a, opA, b, opB);
    const Matrix start = randomMatrix(m + 6, n + 1, rng);
    for (Isa isa : kIsas) {
        if (!setActiveIsa(isa)) continue;
        Matrix out = start;
        multiply(out.block(4, 1, m, n), bigA.block(3, 1, a.rows(), a.cols()), opA, bigB.block(1, 2, b.rows(), b.cols()),
                 opB);
        const double tol = 1e-5 * (k + 1);
        const double err = (out.block(4, 1, m, n).cast<double>() - want).cwiseAbs().maxCoeff();
        QVERIFY2(err <= tol, qPrintable(QString("%1: |out - op(a) op(b)| = %2").arg(isaName(isa)).arg(err)));
        // Nothing outside the block is written.
        Matrix outside = out;
        outside.block(4, 1, m, n) = start.block(4, 1, m, n);
        QVERIFY(outside == start);
        // out += alpha op(a) op(b)
        Matrix acc = start;
        multiply(acc.block(4, 1, m, n), a, opA, b, opB, -0.25f, true);
        const Eigen::MatrixXd wantAcc = start.block(4, 1, m, n).cast<double>() - 0.25 * want;
        const double errAcc = (acc.block(4, 1, m, n).cast<double>() - wantAcc).cwiseAbs().maxCoeff();
        QVERIFY2(errAcc <= tol, qPrintable(QString("%1: accumulate error %2").arg(isaName(isa)).arg(errAcc)));
    }
}

void TestProducts::variantsAgree() {
    // The trainer's own shapes (784 x 500 weights, batch 100), grey sparse data and binary
    // hidden states: every variant within float rounding of the baseline.
    IsaGuard guard;
    Random rng(3);
    const Matrix W = randomMatrix(784, 500, rng) * 0.05f;
    const Matrix V = randomMatrix(784, 100, rng, 0.81).cwiseAbs();
    Matrix H(500, 100);
    for (Eigen::Index i = 0; i < H.size(); ++i) H.data()[i] = rng.uniform() < 0.2f ? 1.0f : 0.0f;
    QVERIFY(setActiveIsa(Isa::Baseline));
    Matrix h0(500, 100), v1(784, 100), g(784, 500);
    multiply(h0, W, Op::Transposed, V, Op::Plain);
    multiply(v1, W, Op::Plain, H, Op::Plain);
    multiply(g, V, Op::Plain, H, Op::Transposed, 0.01f);
    for (Isa isa : kIsas) {
        if (isa == Isa::Baseline || !setActiveIsa(isa)) continue;
        Matrix h(500, 100), v(784, 100), gg(784, 500);
        multiply(h, W, Op::Transposed, V, Op::Plain);
        multiply(v, W, Op::Plain, H, Op::Plain);
        multiply(gg, V, Op::Plain, H, Op::Transposed, 0.01f);
        QVERIFY2((h - h0).cwiseAbs().maxCoeff() < 1e-4f, isaName(isa));
        QVERIFY2((v - v1).cwiseAbs().maxCoeff() < 1e-4f, isaName(isa));
        QVERIFY2((gg - g).cwiseAbs().maxCoeff() < 1e-5f, isaName(isa));
    }
}

void TestProducts::sparseProductsMatchThePlainFormula_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("zeros");
    // Dense, sparse, binary and grey inputs; rows not a multiple of the 64-row panel.
    QTest::newRow("dense") << 150 << 17 << "normal" << 0.0;
    QTest::newRow("sparse") << 129 << 23 << "normal" << 0.9;
    QTest::newRow("binary") << 200 << 31 << "binary" << 0.7;
    QTest::newRow("grey mostly zero") << 64 << 40 << "grey" << 0.81;
    QTest::newRow("all zero") << 70 << 5 << "normal" << 1.0;
    QTest::newRow("fewer rows than a panel") << 9 << 12 << "binary" << 0.5;
}

void TestProducts::sparseProductsMatchThePlainFormula() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(QString, kind);
    QFETCH(double, zeros);
    IsaGuard guard;
    Random rng(21);
    const int depth = 57;
    const Matrix bigA = randomMatrix(rows + 3, depth + 2, rng);
    Matrix s(depth, cols);
    for (Eigen::Index i = 0; i < s.size(); ++i) {
        const bool zero = rng.uniformDouble() < zeros;
        const float x = kind == "binary" ? 1.0f : kind == "grey" ? rng.uniform() : static_cast<float>(rng.normal());
        s.data()[i] = zero ? 0.0f : x;
    }
    SparseColumns sc;
    const double density = sc.assign(s);
    QCOMPARE(density, static_cast<double>((s.array() != 0.0f).count()) / static_cast<double>(s.size()));
    const Matrix a = bigA.block(2, 1, rows, depth);
    const Eigen::MatrixXd want = reference(a, Op::Plain, s, Op::Plain);
    for (Isa isa : kIsas) {
        if (!setActiveIsa(isa)) continue;
        Matrix out = Matrix::Constant(rows + 4, cols + 1, 7.0f);
        multiply(out.block(1, 1, rows, cols), bigA.block(2, 1, rows, depth), sc);
        const double err = (out.block(1, 1, rows, cols).cast<double>() - want).cwiseAbs().maxCoeff();
        QVERIFY2(err <= 1e-5 * depth, qPrintable(QString("%1: |a s - plain| = %2").arg(isaName(isa)).arg(err)));
        QVERIFY(out.col(0) == Matrix::Constant(rows + 4, 1, 7.0f));
        QVERIFY(out.row(0) == Matrix::Constant(1, cols + 1, 7.0f));
        // Against the dense product of the same variant too.
        Matrix dense(rows, cols);
        multiply(dense, a, Op::Plain, s, Op::Plain);
        QVERIFY((out.block(1, 1, rows, cols) - dense).cwiseAbs().maxCoeff() <= 1e-5f * depth);
    }
    // Reusing the buffers for a smaller matrix keeps only its entries.
    const Matrix smaller = s.leftCols(cols / 2 + 1);
    sc.assign(smaller);
    QCOMPARE(sc.cols(), smaller.cols());
    QCOMPARE(sc.start()[sc.cols()], static_cast<int>((smaller.array() != 0.0f).count()));
}

void TestProducts::sparseDataProductsMatchThePlainFormula_data() {
    QTest::addColumn<int>("pixels");
    QTest::addColumn<int>("examples");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("zeros");
    // Dense, sparse, binary and grey batches x (pixels x examples); the hidden units not a
    // multiple of the 64-row panel nor of a packet, examples not a multiple of a packet.
    QTest::newRow("dense") << 61 << 19 << 70 << "normal" << 0.0;
    QTest::newRow("sparse") << 130 << 23 << 131 << "normal" << 0.9;
    QTest::newRow("binary") << 200 << 33 << 96 << "binary" << 0.8;
    QTest::newRow("grey digit-like") << 97 << 40 << 64 << "grey" << 0.71;
    QTest::newRow("all zero") << 40 << 5 << 30 << "binary" << 1.0;
    QTest::newRow("smaller than a packet") << 7 << 3 << 5 << "grey" << 0.5;
}

void TestProducts::sparseDataProductsMatchThePlainFormula() {
    // The two products of a CD step with the data batch x, sparse: W^T x as sums of the rows
    // of W that x selects (on W^T, made by transpose()), and x p^T as rows of p added to the
    // gradient's rows (on x's row-compressed twin). Both against a double-precision plain
    // formula, on strided blocks, in every variant; grey values are multiplied, not taken as 1.
    QFETCH(int, pixels);
    QFETCH(int, examples);
    QFETCH(int, hidden);
    QFETCH(QString, kind);
    QFETCH(double, zeros);
    IsaGuard guard;
    Random rng(33);
    Matrix x(pixels, examples);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const bool zero = rng.uniformDouble() < zeros;
        const float v = kind == "binary" ? 1.0f : kind == "grey" ? 0.01f + rng.uniform() : static_cast<float>(rng.normal());
        x.data()[i] = zero ? 0.0f : v;
    }
    SparseColumns cols, twin, direct;
    cols.assign(x);
    QCOMPARE(cols.binary(), kind == "binary");
    // The twin, built from the compression, is the compression of x^T itself, entry for entry.
    QCOMPARE(twin.assignTransposed(cols), cols.density());
    direct.assign(Matrix(x.transpose()));
    QCOMPARE(twin.rows(), direct.rows());
    QCOMPARE(twin.cols(), direct.cols());
    QCOMPARE(twin.binary(), cols.binary());
    const int n = static_cast<int>(direct.nonzeros());
    QCOMPARE(static_cast<int>(twin.nonzeros()), n);
    QVERIFY(std::equal(direct.start(), direct.start() + direct.cols() + 1, twin.start()));
    QVERIFY(std::equal(direct.index(), direct.index() + n, twin.index()));
    QVERIFY(std::equal(direct.value(), direct.value() + n, twin.value()));

    const Matrix bigW = randomMatrix(pixels + 3, hidden + 2, rng);  // W: pixels x hidden
    const Matrix w = bigW.block(1, 2, pixels, hidden);
    const Matrix p = randomMatrix(hidden, examples, rng);            // p(h|x): hidden x examples
    const Matrix start = randomMatrix(pixels, hidden, rng);          // the gradient so far
    const float alpha = 0.37f;
    const Eigen::MatrixXd forward = reference(w, Op::Transposed, x, Op::Plain);
    const Eigen::MatrixXd gradient = start.cast<double>() + alpha * reference(x, Op::Plain, p, Op::Transposed);
    // Each entry sums at most `examples` (gradient) or `pixels` (forward) products of size ~1.
    const double tolForward = 1e-5 * pixels, tolGradient = 1e-5 * (examples + 1);
    for (Isa isa : kIsas) {
        if (!setActiveIsa(isa)) continue;
        Matrix wT = Matrix::Constant(hidden + 2, pixels + 1, 7.0f);
        transpose(wT.block(1, 0, hidden, pixels), bigW.block(1, 2, pixels, hidden));
        QVERIFY2(wT.block(1, 0, hidden, pixels) == w.transpose(), isaName(isa));
        QVERIFY(wT.row(0) == Matrix::Constant(1, pixels + 1, 7.0f));
        QVERIFY(wT.col(pixels) == Matrix::Constant(hidden + 2, 1, 7.0f));

        Matrix h(hidden, examples);
        multiply(h, wT.block(1, 0, hidden, pixels), cols);
        const double errF = (h.cast<double>() - forward).cwiseAbs().maxCoeff();
        QVERIFY2(errF <= tolForward, qPrintable(QString("%1: |W^T x - plain| = %2").arg(isaName(isa)).arg(errF)));

        Matrix g = Matrix::Constant(pixels + 2, hidden + 3, 7.0f);
        g.block(2, 1, pixels, hidden) = start;
        multiplyTransposedAdd(g.block(2, 1, pixels, hidden), p, twin, alpha);
        const double errG = (g.block(2, 1, pixels, hidden).cast<double>() - gradient).cwiseAbs().maxCoeff();
        QVERIFY2(errG <= tolGradient, qPrintable(QString("%1: |G + a x p^T - plain| = %2").arg(isaName(isa)).arg(errG)));
        QVERIFY(g.col(0) == Matrix::Constant(pixels + 2, 1, 7.0f));
        QVERIFY(g.row(1) == Matrix::Constant(1, hidden + 3, 7.0f));
        QVERIFY(g.col(hidden + 2) == Matrix::Constant(pixels + 2, 1, 7.0f));
        // And against the dense product of the same variant.
        Matrix dense = start;
        multiply(dense, x, Op::Plain, p, Op::Transposed, alpha, true);
        QVERIFY(static_cast<double>((g.block(2, 1, pixels, hidden) - dense).cwiseAbs().maxCoeff()) <= tolGradient);
    }
}

void TestProducts::sparseDataProductsIgnoreTheSplit() {
    // The trainer splits the hidden units between threads (at multiples of 48): the sparse
    // products of each share must be the same bits as the whole's, panel edges and packet
    // tails included (the isa kernels are built without FMA contraction).
    IsaGuard guard;
    Random rng(5);
    Matrix x(300, 37);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniformDouble() < 0.8 ? 0.0f : rng.uniform();
    SparseColumns cols, twin;
    cols.assign(x);
    twin.assignTransposed(cols);
    const Matrix w = randomMatrix(300, 250, rng), p = randomMatrix(250, 37, rng);
    for (Isa isa : kIsas) {
        if (!setActiveIsa(isa)) continue;
        Matrix wT(250, 300), whole(250, 37), split(250, 37);
        transpose(wT, w);
        multiply(whole, wT, cols);
        Matrix g = Matrix::Zero(300, 250), gs = Matrix::Zero(300, 250);
        multiplyTransposedAdd(g, p, twin, 0.1f);
        for (auto [j0, n] : {std::pair<Eigen::Index, Eigen::Index>{0, 96}, {96, 144}, {240, 10}}) {
            multiply(split.middleRows(j0, n), wT.middleRows(j0, n), cols);
            multiplyTransposedAdd(gs.middleCols(j0, n), p.middleRows(j0, n), twin, 0.1f);
        }
        QVERIFY2(whole == split, isaName(isa));
        QVERIFY2(g == gs, isaName(isa));
    }
}

void TestProducts::trainingAgreesAcrossVariants() {
    // A few batches of CD-1 and PCD-1 under each variant: the random draws are counter-based,
    // so only rounding differs, and the weights agree far below the size of one update.
    IsaGuard guard;
    const auto data = testing::firstDigits(300);
    for (Algorithm a : {Algorithm::CD, Algorithm::PCD}) {
        TrainingConfig c;
        c.hidden = 64;
        c.batchSize = 30;
        c.algorithm = a;
        c.persistentChains = 20;
        c.evalSubset = 30;
        c.seed = 9;
        QVERIFY(setActiveIsa(Isa::Baseline));
        Trainer reference(data, nullptr, c);
        for (int i = 0; i < 5; ++i) reference.trainBatch();
        const double step = static_cast<double>(reference.lastWeightUpdate().cwiseAbs().maxCoeff());
        for (Isa isa : kIsas) {
            if (isa == Isa::Baseline || !setActiveIsa(isa)) continue;
            Trainer t(data, nullptr, c);
            for (int i = 0; i < 5; ++i) t.trainBatch();
            const double diff = static_cast<double>((t.model().W - reference.model().W).cwiseAbs().maxCoeff());
            QVERIFY2(diff < 0.05 * step,
                     qPrintable(QString("%1: max |W - W_baseline| = %2, step %3").arg(isaName(isa)).arg(diff).arg(step)));
        }
    }
}

void TestProducts::sparseTrainingAgreesWithDense_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("baseline");
    QTest::newRow("CD-1") << int(Algorithm::CD) << 1 << false;
    QTest::newRow("CD-3, 2 threads") << int(Algorithm::CD) << 2 << false;
    QTest::newRow("PCD-1") << int(Algorithm::PCD) << 1 << false;
    // The baseline variant takes the sparse data products at the digits' density (about 0.3
    // of the batch's pixels), so these rows run them whatever processor runs the test.
    QTest::newRow("CD-1, sparse data (baseline)") << int(Algorithm::CD) << 1 << true;
    QTest::newRow("CD-3, 2 threads, sparse data (baseline)") << int(Algorithm::CD) << 2 << true;
    QTest::newRow("PCD-1, sparse data and chains (baseline)") << int(Algorithm::PCD) << 1 << true;
}

void TestProducts::sparseTrainingAgreesWithDense() {
    // The sparse products (W h as a sum of W's selected columns; W^T v and v p(h)^T on the
    // compressed batch and chains) change rounding only.
    QFETCH(int, algorithm);
    QFETCH(int, threads);
    QFETCH(bool, baseline);
    IsaGuard guard;
    if (baseline) {
        QVERIFY(setActiveIsa(Isa::Baseline));
        const bool saved = sparseProducts();
        setSparseProducts(true);
        QVERIFY(sparseDataProductPays(testing::batchDensity(*testing::firstDigits(30), 30)));
        setSparseProducts(saved);
    }
    const auto data = testing::firstDigits(300);
    TrainingConfig c;
    c.hidden = 64;
    c.batchSize = 30;
    c.algorithm = static_cast<Algorithm>(algorithm);
    c.k = threads == 2 ? 3 : 1;
    c.persistentChains = 20;
    c.evalSubset = 30;
    c.seed = 4;
    c.threads = threads;
    const bool saved = sparseProducts();
    setSparseProducts(false);
    Trainer dense(data, nullptr, c);
    for (int i = 0; i < 5; ++i) dense.trainBatch();
    setSparseProducts(true);
    QVERIFY(sparseProductPays(0.1));
    Trainer sparse(data, nullptr, c);
    for (int i = 0; i < 5; ++i) sparse.trainBatch();
    // Same bits for the same thread count, with and without helpers splitting the rows.
    Trainer again(data, nullptr, c);
    for (int i = 0; i < 5; ++i) again.trainBatch();
    setSparseProducts(saved);
    const double step = static_cast<double>(dense.lastWeightUpdate().cwiseAbs().maxCoeff());
    const double diff = static_cast<double>((sparse.model().W - dense.model().W).cwiseAbs().maxCoeff());
    QVERIFY2(diff < 0.05 * step, qPrintable(QString("max |W_sparse - W_dense| = %1, step %2").arg(diff).arg(step)));
    QVERIFY(sparse.model().W == again.model().W);
}

QTEST_APPLESS_MAIN(TestProducts)
#include "test_products.moc"
