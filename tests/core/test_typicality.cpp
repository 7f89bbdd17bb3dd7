// The honest readout's threshold: the free-energy range of held-out digits under a model trained
// on digits. Held-out digits not used for the range mostly fall inside it; binary noise and an
// all-ink disc fall outside (one too improbable, the other, under this model, too probable).
#include <QtTest>

#include <cmath>

#include "rbm/dataset.h"
#include "rbm/trainer.h"
#include "rbm/typicality.h"

using namespace rbm;

namespace {

const DatasetPair& digits() {
    static const DatasetPair d = loadEmbeddedMnist();
    return d;
}

/// One epoch of CD-1 on the embedded digits, 64 hidden units (under a second).
const Rbm& digitModel() {
    static const Rbm model = [] {
        auto train = std::make_shared<const Dataset>(digits().train);
        auto test = std::make_shared<const Dataset>(digits().test);
        TrainingConfig c;
        c.hidden = 64;
        c.epochs = 1;
        c.batchSize = 20;
        c.learningRateWeights = 0.1f;
        c.learningRateBiases = 0.1f;
        c.evalSubset = 100;
        c.seed = 5;
        Trainer trainer(train, test, c);
        while (!trainer.epochFinished()) trainer.trainBatch();
        return trainer.model();
    }();
    return model;
}

/// The held-out set from image `first` on (so the range and the check use different digits).
Dataset slice(const Dataset& d, std::size_t first, std::size_t count) {
    Dataset s = d;
    const std::size_t n = static_cast<std::size_t>(d.pixelsPerImage());
    s.count = std::min(count, d.count - first);
    s.pixels.assign(d.pixels.begin() + static_cast<std::ptrdiff_t>(first * n),
                    d.pixels.begin() + static_cast<std::ptrdiff_t>((first + s.count) * n));
    if (d.hasLabels())
        s.labels.assign(d.labels.begin() + static_cast<std::ptrdiff_t>(first),
                        d.labels.begin() + static_cast<std::ptrdiff_t>(first + s.count));
    return s;
}

double freeEnergyOf(const Rbm& m, const Matrix& v) { return freeEnergy(m, v)(0); }

}  // namespace

class TestTypicality : public QObject {
    Q_OBJECT
private slots:
    void centralRangeIsTheEmpiricalQuantiles();
    void heldOutDigitsAreTypicalNoiseAndBlobsAreNot();
    void cancelledGivesNoRange();
};

void TestTypicality::centralRangeIsTheEmpiricalQuantiles() {
    std::vector<double> f;
    for (int i = 100; i >= 0; --i) f.push_back(i);  // 0..100, unsorted
    const TypicalityRange r = centralRange(f, 0.98);
    QVERIFY(r.valid());
    QCOMPARE(r.low, 1.0);
    QCOMPARE(r.high, 99.0);
    QCOMPARE(r.references, std::size_t(101));
    QVERIFY(r.contains(50) && !r.contains(0.5) && !r.contains(99.5));
    QCOMPARE(typicalityScore(r, 50), 0.0);
    QCOMPARE(typicalityScore(r, 99), 1.0);
    QVERIFY(!centralRange({}, 0.99).valid());
}

void TestTypicality::heldOutDigitsAreTypicalNoiseAndBlobsAreNot() {
    const Rbm& m = digitModel();
    const Dataset& test = digits().test;
    TypicalityOptions o;
    o.examples = 500;
    const TypicalityRange r = typicalityRange(m, slice(test, 0, 500), o);
    QVERIFY(r.valid());
    QCOMPARE(r.references, std::size_t(1000));
    QVERIFY(r.low < r.high);

    // Digits the range never saw: by construction about 99% of such digits fall inside; 500
    // of them give a binomial standard error of 0.5%, so 0.95 is a loose floor.
    const Dataset other = slice(test, 500, 500);
    const Matrix grey = toMatrix(other);
    const Eigen::VectorXd f = freeEnergy(m, grey);
    int inside = 0;
    for (Eigen::Index i = 0; i < f.size(); ++i) inside += r.contains(f(i)) ? 1 : 0;
    const double fraction = inside / static_cast<double>(f.size());
    qInfo("range %.1f .. %.1f; %.3f of 500 unseen held-out digits inside", r.low, r.high, fraction);
    QVERIFY2(fraction >= 0.95, qPrintable(QString::number(fraction)));

    Random rng(4);
    Matrix noise(20, m.nVisible());
    rng.bernoulli(Matrix::Constant(20, m.nVisible(), 0.5f), noise);
    const Eigen::VectorXd fn = freeEnergy(m, noise);
    for (Eigen::Index i = 0; i < fn.size(); ++i) QVERIFY2(!r.contains(fn(i)), qPrintable(QString::number(fn(i))));

    Matrix disc = Matrix::Zero(1, m.nVisible());
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
            if ((x - 13.5) * (x - 13.5) + (y - 13.5) * (y - 13.5) <= 9.0 * 9.0) disc(0, y * 28 + x) = 1.0f;
    const double fd = freeEnergyOf(m, disc);
    qInfo("noise F %.1f, disc F %.1f", fn(0), fd);
    QVERIFY2(!r.contains(fd), qPrintable(QString::number(fd)));
    QVERIFY(std::abs(typicalityScore(r, fd)) > 1.0);
}

void TestTypicality::cancelledGivesNoRange() {
    const std::atomic<bool> cancel{true};
    TypicalityOptions o;
    o.cancel = &cancel;
    QVERIFY(!typicalityRange(digitModel(), digits().test, o).valid());
}

QTEST_APPLESS_MAIN(TestTypicality)
#include "test_typicality.moc"
