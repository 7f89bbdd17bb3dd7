// Hostile values through the core API: absurd hyperparameters, zero and huge sizes, a batch
// larger than the dataset, a dataset of one image, images that are not 28x28 and checkpoints
// that do not fit the data. Each gives a clear sentence or works; none crashes, and no model
// or metric ever silently becomes NaN.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

#include "error_of.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/trainer.h"

using namespace rbm;

namespace {

using rbm::testing::errorOf;

/// Bytes this process has read through read() and friends so far (Linux /proc/self/io
/// "rchar"), or -1 where the kernel does not say.
long long bytesReadByThisProcess() {
    QFile io("/proc/self/io");
    if (!io.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : io.readAll().split('\n'))
        if (line.startsWith("rchar:")) return line.mid(6).trimmed().toLongLong();
    return -1;
}

/// `count` images of rows x cols: random blobs (pixels 0..255), labels 0..9.
std::shared_ptr<const Dataset> synthetic(std::size_t count, int rows, int cols, unsigned seed = 1) {
    auto d = std::make_shared<Dataset>();
    d->name = "synthetic " + std::to_string(rows) + "x" + std::to_string(cols);
    d->rows = rows;
    d->cols = cols;
    d->count = count;
    d->pixels.resize(count * std::size_t(rows) * std::size_t(cols));
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    for (std::uint8_t& p : d->pixels) p = byte(gen) < 180 ? 0 : std::uint8_t(byte(gen));
    d->labels.resize(count);
    for (std::size_t i = 0; i < count; ++i) d->labels[i] = std::uint8_t(i % 10);
    return d;
}

TrainingConfig small() {
    TrainingConfig c;
    c.hidden = 16;
    c.batchSize = 20;
    c.epochs = 2;
    c.evalSubset = 100;
    c.seed = 7;
    return c;
}

bool finite(double v) { return std::isfinite(v); }

/// Every number a person sees after an epoch is finite.
/// Trains to config().epochs, evaluating each epoch (a TrainingSession without its saving and
/// timing: these tests evaluate the same Trainer afterwards).
bool trainToEnd(Trainer& t, const std::function<void(const EpochMetrics&)>& onEpoch = {}) {
    while (t.counters().epoch < t.config().epochs) {
        t.trainBatch();
        if (t.epochFinished() && onEpoch) onEpoch(t.evaluate());
    }
    return true;
}

void verifyFiniteMetrics(const EpochMetrics& m) {
    QVERIFY2(finite(m.trainMse) && finite(m.trainCrossEntropy) && finite(m.trainFreeEnergy), "train metrics not finite");
    QVERIFY2(finite(m.pseudoLogLikelihood), "pseudo-log-likelihood not finite");
    QVERIFY2(finite(m.ratioWeights) && finite(m.ratioVisibleBias) && finite(m.ratioHiddenBias), "update ratios not finite");
    if (m.hasTest) QVERIFY2(finite(m.testMse) && finite(m.testFreeEnergy), "test metrics not finite");
}

/// What the app does after any outcome: save a checkpoint of the trainer and load it back.
void verifySavesAndLoads(const Trainer& t, const QString& path) {
    const std::string p = path.toStdString();
    const std::string err = errorOf([&] { saveCheckpoint(p, checkpointOf(t)); });
    QVERIFY2(err.empty(), err.c_str());
    Checkpoint back;
    const std::string loadErr = errorOf([&] { back = loadCheckpoint(p); });
    QVERIFY2(loadErr.empty(), loadErr.c_str());
    QVERIFY(back.model.W == t.model().W);
    QCOMPARE(back.model.imageRows, t.trainData().rows);
    QCOMPARE(back.model.imageCols, t.trainData().cols);
}

/// Sets one named hyperparameter (the names of the CLI / JSON keys).
void set(TrainingConfig& c, const QString& key, double v) {
    const auto f = static_cast<float>(v);
    const int i = v >= 2147483647.0 ? std::numeric_limits<int>::max() : (v <= -2147483648.0 ? std::numeric_limits<int>::min() : int(v));
    if (key == "hidden") c.hidden = i;
    else if (key == "batchSize") c.batchSize = i;
    else if (key == "k") c.k = i;
    else if (key == "epochs") c.epochs = i;
    else if (key == "persistentChains") c.persistentChains = i;
    else if (key == "threads") c.threads = i;
    else if (key == "evalSubset") c.evalSubset = i;
    else if (key == "learningRateWeights") c.learningRateWeights = f;
    else if (key == "learningRateBiases") c.learningRateBiases = f;
    else if (key == "weightDecay") c.weightDecay = f;
    else if (key == "sparsityTarget") c.sparsityTarget = f;
    else if (key == "sparsityCost") c.sparsityCost = f;
    else if (key == "sparsityDecay") c.sparsityDecay = f;
    else if (key == "momentum") c.optimizer.momentum = f;
    else if (key == "adamBeta2") c.optimizer.adamBeta2 = f;
    else if (key == "adamEpsilon") c.optimizer.adamEpsilon = f;
    else if (key == "initWeightStd") c.initWeightStd = f;
    else if (key == "adam") c.optimizer.kind = OptimizerKind::Adam;
    else if (key == "sgd") c.optimizer.kind = OptimizerKind::Sgd;
    else QFAIL(qPrintable("unknown key " + key));
}

}  // namespace

class TestHostileValues : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }
    void absurdSettingsAreRefusedWithASentence_data();
    void absurdSettingsAreRefusedWithASentence();
    void hugeButAllowedSettingsNeverGiveASilentNaNModel_data();
    void hugeButAllowedSettingsNeverGiveASilentNaNModel();
    void batchLargerThanTheDatasetTrains_data();
    void batchLargerThanTheDatasetTrains();
    void oneImageDatasetTrains_data();
    void oneImageDatasetTrains();
    void imagesOfOtherSizesTrain_data();
    void imagesOfOtherSizesTrain();
    void checkpointOfAnotherSizeIsRefused_data();
    void checkpointOfAnotherSizeIsRefused();
    void resumingWithAnotherHiddenSizeStillSavesLoadableCheckpoints();
    void checkpointWithAbsurdConfigurationIsRefusedByTheTrainer();
    void emptyDatasetsAreRefused();
    void endlessDevicesAreRefusedAndPipesStillLoad();

private:
    QTemporaryDir tmp_;
};

void TestHostileValues::absurdSettingsAreRefusedWithASentence_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");  // part of the sentence naming the setting
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("learning rate 1e30") << "learningRateWeights" << 1e30 << "learning rate of the weights";
    QTest::newRow("learning rate 1e6 (biases)") << "learningRateBiases" << 1e6 << "learning rate of the biases";
    QTest::newRow("learning rate NaN") << "learningRateWeights" << nan << "got NaN";
    QTest::newRow("learning rate infinite") << "learningRateWeights" << inf << "got infinity";
    QTest::newRow("learning rate negative") << "learningRateWeights" << -0.1 << "learning rate of the weights";
    QTest::newRow("zero hidden units") << "hidden" << 0.0 << "hidden units";
    QTest::newRow("a million hidden units") << "hidden" << 1e6 << "hidden units";
    QTest::newRow("negative hidden units") << "hidden" << -5.0 << "hidden units";
    QTest::newRow("batch size 0") << "batchSize" << 0.0 << "batch size";
    QTest::newRow("batch size 2^31-1") << "batchSize" << 2147483647.0 << "batch size";
    QTest::newRow("k = 0") << "k" << 0.0 << "Gibbs steps";
    QTest::newRow("k = 1e9") << "k" << 1e9 << "Gibbs steps";
    QTest::newRow("negative epochs") << "epochs" << -1.0 << "epochs";
    QTest::newRow("negative chains") << "persistentChains" << -1.0 << "persistent chains";
    QTest::newRow("zero threads") << "threads" << 0.0 << "threads";
    QTest::newRow("momentum 1") << "momentum" << 1.0 << "momentum";
    QTest::newRow("Adam beta2 1") << "adamBeta2" << 1.0 << "beta2";
    QTest::newRow("Adam epsilon 0") << "adamEpsilon" << 0.0 << "epsilon";
    QTest::newRow("weight decay infinite") << "weightDecay" << inf << "weight decay";
    QTest::newRow("weight decay 1e30") << "weightDecay" << 1e30 << "weight decay";
    QTest::newRow("sparsity cost 1e30") << "sparsityCost" << 1e30 << "sparsity cost";
    QTest::newRow("sparsity target 1") << "sparsityTarget" << 1.0 << "sparsity target";
    QTest::newRow("initial weights std 1e9") << "initWeightStd" << 1e9 << "initial weight";
}

void TestHostileValues::absurdSettingsAreRefusedWithASentence() {
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(QString, expected);
    TrainingConfig c = small();
    set(c, key, value);
    const QString err = QString::fromStdString(errorOf([&] { c.validate(); }));
    QVERIFY2(err.contains(expected), qPrintable(err));
    QVERIFY2(err.startsWith("The training configuration is invalid:"), qPrintable(err));
    // The trainer refuses it too, and a live change to it leaves a running trainer untouched.
    const auto data = synthetic(50, 8, 8);
    QVERIFY(!errorOf([&] { Trainer t(data, nullptr, c); }).empty());
    Trainer running(data, nullptr, small());
    running.trainBatch();
    const Rbm before = running.model();
    const TrainingConfig beforeConfig = running.config();
    QVERIFY(!errorOf([&] { running.setConfig(c); }).empty());
    QCOMPARE(running.config().learningRateWeights, beforeConfig.learningRateWeights);
    QCOMPARE(running.config().batchSize, beforeConfig.batchSize);
    QVERIFY(running.model().W == before.W);
    running.trainBatch();  // and it goes on training
    QVERIFY(running.model().isFinite());
}

void TestHostileValues::hugeButAllowedSettingsNeverGiveASilentNaNModel_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("optimizer");
    QTest::newRow("largest learning rate, momentum") << "learningRateWeights" << 10.0 << "momentum";
    QTest::newRow("largest learning rate, SGD") << "learningRateWeights" << 10.0 << "sgd";
    QTest::newRow("largest learning rate, Adam") << "learningRateWeights" << 10.0 << "adam";
    QTest::newRow("largest bias learning rate") << "learningRateBiases" << 10.0 << "momentum";
    QTest::newRow("largest initial weights") << "initWeightStd" << 10.0 << "momentum";
    QTest::newRow("Adam with the smallest epsilon") << "adamEpsilon" << 1e-38 << "adam";
    QTest::newRow("largest weight decay") << "weightDecay" << 1.0 << "momentum";
    QTest::newRow("largest sparsity cost") << "sparsityCost" << 100.0 << "momentum";
}

void TestHostileValues::hugeButAllowedSettingsNeverGiveASilentNaNModel() {
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(QString, optimizer);
    TrainingConfig c = small();
    if (optimizer != "momentum") set(c, optimizer, 0);
    set(c, key, value);
    if (key == "sparsityCost") c.sparsityTarget = 0.05f;
    const QString err = QString::fromStdString(errorOf([&] { c.validate(); }));
    QVERIFY2(err.isEmpty(), qPrintable(err));
    Trainer t(synthetic(200, 28, 28), synthetic(40, 28, 28, 2), c);
    EpochMetrics last;
    bool diverged = false;
    try {
        trainToEnd(t, [&](const EpochMetrics& m) { last = m; });
    } catch (const Error& e) {
        // The only acceptable failure: a sentence saying what happened and what to do.
        diverged = true;
        QVERIFY2(QString(e.what()).contains("diverged") && QString(e.what()).contains("lower"), e.what());
    }
    QVERIFY(t.model().isFinite());
    if (!diverged) verifyFiniteMetrics(last);
    verifyFiniteMetrics(t.evaluate());
    verifySavesAndLoads(t, tmp_.filePath("huge.npz"));
}

void TestHostileValues::batchLargerThanTheDatasetTrains_data() {
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("pcd");
    QTest::newRow("CD, batch 1000 > 7 images") << 1000 << false;
    QTest::newRow("PCD, batch 1000000 > 7 images") << 1000000 << true;
}

void TestHostileValues::batchLargerThanTheDatasetTrains() {
    QFETCH(int, batch);
    QFETCH(bool, pcd);
    TrainingConfig c = small();
    c.batchSize = batch;
    c.algorithm = pcd ? Algorithm::PCD : Algorithm::CD;
    c.persistentChains = 0;  // as many as the batch: must also be capped by the data
    c.epochs = 3;
    Trainer t(synthetic(7, 28, 28), nullptr, c);
    QCOMPARE(t.batchesPerEpoch(), 1);
    QVERIFY(trainToEnd(t));
    QCOMPARE(t.counters().samplesSeen, std::int64_t(21));
    QVERIFY(t.model().isFinite());
    verifyFiniteMetrics(t.evaluate());
    QVERIFY(t.state().persistentChains.rows() <= 7);
    verifySavesAndLoads(t, tmp_.filePath("bigbatch.npz"));
}

void TestHostileValues::oneImageDatasetTrains_data() {
    QTest::addColumn<bool>("pcd");
    QTest::addColumn<int>("binarization");
    QTest::newRow("CD") << false << int(Binarization::None);
    QTest::newRow("PCD") << true << int(Binarization::None);
    QTest::newRow("CD, stochastic binarization") << false << int(Binarization::Stochastic);
    QTest::newRow("PCD, threshold binarization") << true << int(Binarization::Threshold);
}

void TestHostileValues::oneImageDatasetTrains() {
    QFETCH(bool, pcd);
    QFETCH(int, binarization);
    TrainingConfig c = small();
    c.algorithm = pcd ? Algorithm::PCD : Algorithm::CD;
    c.binarization = Binarization(binarization);
    c.batchSize = 100;
    c.evalSubset = 1000;
    c.epochs = 5;
    const auto one = synthetic(1, 28, 28);
    Trainer t(one, one, c);
    QCOMPARE(t.batchesPerEpoch(), 1);
    QVERIFY(trainToEnd(t));
    QCOMPARE(t.counters().epoch, std::int64_t(5));
    QVERIFY(t.model().isFinite());
    verifyFiniteMetrics(t.evaluate());
    verifySavesAndLoads(t, tmp_.filePath("one.npz"));
}

void TestHostileValues::imagesOfOtherSizesTrain_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("1x1") << 1 << 1;
    QTest::newRow("8x8") << 8 << 8;
    QTest::newRow("28x29") << 28 << 29;
    QTest::newRow("1x784 (a row)") << 1 << 784;
    QTest::newRow("64x48") << 64 << 48;
}

void TestHostileValues::imagesOfOtherSizesTrain() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    TrainingConfig c = small();
    Trainer t(synthetic(60, rows, cols), synthetic(10, rows, cols, 3), c);
    QCOMPARE(t.model().nVisible(), rows * cols);
    QVERIFY(trainToEnd(t));
    QVERIFY(t.model().isFinite());
    verifyFiniteMetrics(t.evaluate());
    verifySavesAndLoads(t, tmp_.filePath("size.npz"));
    // The held-out set must have the training set's size.
    const QString err = QString::fromStdString(errorOf([&] { Trainer u(synthetic(60, rows, cols), synthetic(10, 28, 28), c); }));
    if (rows * cols != 784) QVERIFY2(err.contains("held-out images are 28x28"), qPrintable(err));
}

void TestHostileValues::checkpointOfAnotherSizeIsRefused_data() {
    QTest::addColumn<int>("modelRows");
    QTest::addColumn<int>("modelCols");
    QTest::addColumn<int>("dataRows");
    QTest::addColumn<int>("dataCols");
    QTest::newRow("28x28 model, 8x8 images") << 28 << 28 << 8 << 8;
    QTest::newRow("8x8 model, 28x28 images") << 8 << 8 << 28 << 28;
    QTest::newRow("28x28 model, 28x29 images") << 28 << 28 << 28 << 29;
}

void TestHostileValues::checkpointOfAnotherSizeIsRefused() {
    QFETCH(int, modelRows);
    QFETCH(int, modelCols);
    QFETCH(int, dataRows);
    QFETCH(int, dataCols);
    TrainingConfig c = small();
    Trainer source(synthetic(30, modelRows, modelCols), nullptr, c);
    source.trainBatch();
    const QString path = tmp_.filePath("other-size.npz");
    saveCheckpoint(path.toStdString(), checkpointOf(source));
    const Checkpoint ck = loadCheckpoint(path.toStdString());
    const QString err = QString::fromStdString(errorOf([&] {
        Trainer t(synthetic(30, dataRows, dataCols), nullptr, ck.config, ck.model, *ck.state);
    }));
    // Both sizes are named, so a person knows which of the two to change.
    QVERIFY2(err.contains(QString("%1 visible units").arg(modelRows * modelCols)), qPrintable(err));
    QVERIFY2(err.contains(QString("%1 pixels (%2x%3)").arg(dataRows * dataCols).arg(dataRows).arg(dataCols)), qPrintable(err));
}

void TestHostileValues::resumingWithAnotherHiddenSizeStillSavesLoadableCheckpoints() {
    // fuzz: hostile values - `rbm train --resume CKPT --hidden 32` on a 16-hidden checkpoint
    // trained the 16-unit model but saved config.hidden = 32 beside it, so every checkpoint of
    // the resumed run was refused on load ("its configuration says 32 hidden units but W has
    // 16 columns"): saved work that could not be opened again.
    TrainingConfig c = small();
    const auto data = synthetic(40, 8, 8);
    Trainer first(data, nullptr, c);
    first.trainBatch();
    TrainingConfig other = c;
    other.hidden = 32;
    Trainer resumed(data, nullptr, other, first.model(), first.state());
    QCOMPARE(resumed.model().nHidden(), 16);
    resumed.trainBatch();
    verifySavesAndLoads(resumed, tmp_.filePath("other-hidden.npz"));
}

void TestHostileValues::checkpointWithAbsurdConfigurationIsRefusedByTheTrainer() {
    // A downloaded checkpoint may carry any configuration: loading it is fine (the model is
    // valid), training with it must be refused with the validation sentence.
    TrainingConfig c = small();
    const auto data = synthetic(30, 8, 8);
    Trainer source(data, nullptr, c);
    Checkpoint ck = checkpointOf(source);
    ck.config.learningRateWeights = 1e30f;
    const QString path = tmp_.filePath("absurd-config.npz");
    saveCheckpoint(path.toStdString(), ck);
    const Checkpoint back = loadCheckpoint(path.toStdString());
    QCOMPARE(back.config.learningRateWeights, 1e30f);
    const QString err = QString::fromStdString(errorOf([&] { Trainer t(data, nullptr, back.config, back.model, *back.state); }));
    QVERIFY2(err.contains("learning rate of the weights"), qPrintable(err));
}

void TestHostileValues::emptyDatasetsAreRefused() {
    const auto empty = std::make_shared<const Dataset>();
    QVERIFY(QString::fromStdString(errorOf([&] { Trainer t(empty, nullptr, small()); })).contains("no images"));
    QVERIFY(QString::fromStdString(errorOf([&] { Trainer t(nullptr, nullptr, small()); })).contains("no images"));
}

void TestHostileValues::endlessDevicesAreRefusedAndPipesStillLoad() {
    // fuzz: hostile input - `rbm train --data /dev/zero` read the endless device until memory
    // ran out (bad_alloc, or the OOM killer). It must be refused from its first bytes.
    // What "from its first bytes" means is measured in bytes, not seconds (a hang is the CTest
    // timeout's to catch): the process reads at most a megabyte of the endless device.
    for (const char* device : {"/dev/zero", "/dev/urandom"}) {
        if (::access(device, R_OK) != 0) continue;
        const long long before = bytesReadByThisProcess();
        const QString err = QString::fromStdString(errorOf([&] { loadDataset(device); }));
        const long long read = bytesReadByThisProcess() - before;
        QVERIFY2(err.contains(device) && err.contains("not an IDX"), qPrintable(err));
        if (before >= 0) QVERIFY2(read < (1 << 20), qPrintable(QString("read %1 bytes of %2").arg(read).arg(device)));
    }
    // A named pipe carrying a real IDX file (size unknown in advance) still loads.
    const QString fifo = tmp_.filePath("pipe-images-idx3-ubyte");
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    std::vector<std::uint8_t> idx = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
    for (int i = 0; i < 2 * 2 * 3; ++i) idx.push_back(std::uint8_t(i * 20));
    std::thread writer([&] {
        std::FILE* f = std::fopen(fifo.toLocal8Bit().constData(), "wb");
        if (!f) return;
        std::fwrite(idx.data(), 1, idx.size(), f);
        std::fclose(f);
    });
    Dataset d;
    const std::string err = errorOf([&] { d = loadIdx(fifo.toStdString()); });
    writer.join();
    QVERIFY2(err.empty(), err.c_str());
    QCOMPARE(d.count, std::size_t(2));
    QCOMPARE(d.cols, 3);
    QCOMPARE(int(d.pixels.back()), 220);
}

QTEST_GUILESS_MAIN(TestHostileValues)
#include "test_hostile_values.moc"
