// Checkpoints (bit-exact round trip, numpy's view of them, every corrupt case) and run folders.
#include <QtTest>

#include <signal.h>
#include <sys/resource.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <random>

#include "error_of.h"
#include "rbm/checkpoint.h"
#include "rbm/json.h"
#include "rbm/npz.h"
#include "rbm/run_folder.h"
#include "rbm/trainer.h"

using rbm::Checkpoint;
using rbm::NpyArray;

namespace {

using rbm::testing::errorOf;

template <typename M>
bool sameBits(const M& a, const M& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0);
}

void fill(Eigen::Ref<rbm::Matrix> m, std::mt19937& gen) {
    std::normal_distribution<float> d(0.0f, 0.5f);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = d(gen);
}

/// A model with random parameters and a full training state (PCD + Adam moments).
Checkpoint randomCheckpoint(int nV, int nH, unsigned seed, bool withState = true) {
    std::mt19937 gen(seed);
    Checkpoint c;
    c.model.W.resize(nV, nH);
    c.model.visibleBias.resize(nV);
    c.model.hiddenBias.resize(nH);
    fill(c.model.W, gen);
    fill(c.model.visibleBias, gen);
    fill(c.model.hiddenBias, gen);
    c.model.imageRows = nV % 2 == 0 ? 2 : 1;
    c.model.imageCols = nV / c.model.imageRows;
    c.config.hidden = nH;
    c.config.algorithm = rbm::Algorithm::PCD;
    c.config.optimizer.kind = rbm::OptimizerKind::Adam;
    c.config.learningRateWeights = 0.0123f;
    c.datasetName = "tiny \xe2\x80\x94 test";
    if (withState) {
        rbm::TrainerState s;
        s.counters.epoch = 3;
        s.counters.batchInEpoch = 7;
        s.counters.positionInEpoch = 21;
        s.counters.totalBatches = 97;
        s.counters.samplesSeen = 9700;
        for (int g = 0; g < rbm::GroupCount; ++g) {
            const Eigen::Index n = g == rbm::GroupWeights ? nV * nH : (g == rbm::GroupVisibleBias ? nV : nH);
            s.optimizer.first[g].resize(n);
            s.optimizer.second[g].resize(n);
            fill(s.optimizer.first[g], gen);
            fill(s.optimizer.second[g], gen);
            s.optimizer.second[g] = s.optimizer.second[g].cwiseAbs();
        }
        s.optimizer.steps = 97;
        s.persistentChains.resize(5, nV);
        std::bernoulli_distribution coin(0.5);
        for (Eigen::Index i = 0; i < s.persistentChains.size(); ++i) s.persistentChains.data()[i] = coin(gen) ? 1.0f : 0.0f;
        s.rng = {gen(), 0xFFFFFFFFFFFFFFFFull, 12345, gen()};
        s.chainRng = {1, 2, 3, 0x8000000000000000ull};
        s.order.resize(40);
        std::iota(s.order.begin(), s.order.end(), 0);
        std::shuffle(s.order.begin(), s.order.end(), gen);
        s.hiddenActivityEstimate = rbm::Vector::Constant(nH, 0.1f);
        c.state = s;
    }
    rbm::EpochMetrics m;
    m.epoch = 3;
    m.seconds = 1.25;
    m.trainMse = 0.0421;
    m.testMse = 0.0433;
    m.pseudoLogLikelihood = -71.5;
    m.deadUnits = 2;
    m.ratioWeights = std::numeric_limits<double>::quiet_NaN();  // NaN survives as null -> NaN
    m.hasTest = true;
    c.metrics = m;
    return c;
}

void compareCheckpoints(const Checkpoint& a, const Checkpoint& b) {
    QVERIFY(sameBits(a.model.W, b.model.W));
    QVERIFY(sameBits(a.model.visibleBias, b.model.visibleBias));
    QVERIFY(sameBits(a.model.hiddenBias, b.model.hiddenBias));
    QCOMPARE(a.model.imageRows, b.model.imageRows);
    QCOMPARE(a.model.imageCols, b.model.imageCols);
    QCOMPARE(a.datasetName, b.datasetName);
    QCOMPARE(rbm::toJson(a.config), rbm::toJson(b.config));
    QCOMPARE(a.state.has_value(), b.state.has_value());
    if (a.state) {
        const rbm::TrainerState& s = *a.state;
        const rbm::TrainerState& t = *b.state;
        QCOMPARE(s.counters.epoch, t.counters.epoch);
        QCOMPARE(s.counters.batchInEpoch, t.counters.batchInEpoch);
        QCOMPARE(s.counters.positionInEpoch, t.counters.positionInEpoch);
        QCOMPARE(s.counters.totalBatches, t.counters.totalBatches);
        QCOMPARE(s.counters.samplesSeen, t.counters.samplesSeen);
        for (int g = 0; g < rbm::GroupCount; ++g) {
            QVERIFY(sameBits(s.optimizer.first[g], t.optimizer.first[g]));
            QVERIFY(sameBits(s.optimizer.second[g], t.optimizer.second[g]));
        }
        QCOMPARE(s.optimizer.steps, t.optimizer.steps);
        QVERIFY(sameBits(s.persistentChains, t.persistentChains));
        QVERIFY(s.rng == t.rng);
        QVERIFY(s.chainRng == t.chainRng);
        QVERIFY(s.order == t.order);
        QVERIFY(sameBits(s.hiddenActivityEstimate, t.hiddenActivityEstimate));
    }
    QCOMPARE(a.metrics.has_value(), b.metrics.has_value());
    if (a.metrics) {
        QCOMPARE(a.metrics->epoch, b.metrics->epoch);
        QCOMPARE(a.metrics->trainMse, b.metrics->trainMse);
        QCOMPARE(a.metrics->pseudoLogLikelihood, b.metrics->pseudoLogLikelihood);
        QCOMPARE(a.metrics->deadUnits, b.metrics->deadUnits);
        QCOMPARE(a.metrics->hasTest, b.metrics->hasTest);
        QCOMPARE(std::isnan(a.metrics->ratioWeights), std::isnan(b.metrics->ratioWeights));
    }
}

QString python() { return QStringLiteral("/usr/bin/python3"); }
QString script() { return qEnvironmentVariable("RBM_SOURCE_DIR", RBM_SOURCE_DIR_DEFAULT) + "/tests/core/check_npz.py"; }
bool numpyAvailable() {
    static const bool available = [] {
        QProcess p;
        p.start(python(), {"-c", "import numpy"});
        return p.waitForFinished(30000) && p.exitCode() == 0;
    }();
    return available;
}

std::vector<NpyArray> arraysOf(const QString& path) { return rbm::readNpz(path.toStdString()); }
NpyArray* findArray(std::vector<NpyArray>& v, const std::string& name) {
    for (NpyArray& a : v)
        if (a.name == name) return &a;
    return nullptr;
}

}  // namespace

using ArrayEdit = std::function<void(std::vector<NpyArray>&)>;
Q_DECLARE_METATYPE(ArrayEdit)

class TestCheckpoint : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString path(const QString& name) const { return tmp_.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void roundTripIsBitExact_data() {
        QTest::addColumn<bool>("withState");
        QTest::addColumn<int>("nVisible");
        QTest::addColumn<int>("nHidden");
        QTest::newRow("full state") << true << 12 << 7;
        QTest::newRow("model only") << false << 12 << 7;
        QTest::newRow("one hidden unit") << true << 4 << 1;
    }
    void roundTripIsBitExact() {
        QFETCH(bool, withState);
        QFETCH(int, nVisible);
        QFETCH(int, nHidden);
        const Checkpoint c = randomCheckpoint(nVisible, nHidden, 11, withState);
        const QString p = path("roundtrip.npz");
        rbm::saveCheckpoint(p.toStdString(), c);
        const Checkpoint back = rbm::loadCheckpoint(p.toStdString());
        compareCheckpoints(c, back);
    }

    void partialStateRoundTrip() {
        // CD with momentum: no chains, no second moments, no activity estimate
        Checkpoint c = randomCheckpoint(6, 3, 12);
        for (int g = 0; g < rbm::GroupCount; ++g) c.state->optimizer.second[g].resize(0);
        c.state->persistentChains.resize(0, 0);
        c.state->hiddenActivityEstimate.resize(0);
        c.state->order.clear();
        c.state->counters.positionInEpoch = 0;
        const QString p = path("partial.npz");
        rbm::saveCheckpoint(p.toStdString(), c);
        std::vector<NpyArray> arrays = arraysOf(p);
        QVERIFY(!findArray(arrays, "opt_second_W"));
        QVERIFY(!findArray(arrays, "persistent_chains"));
        compareCheckpoints(c, rbm::loadCheckpoint(p.toStdString()));
    }

    void weightsAreWrittenRowMajor() {
        const Checkpoint c = randomCheckpoint(3, 2, 13);
        const QString p = path("layout.npz");
        rbm::saveCheckpoint(p.toStdString(), c);
        std::vector<NpyArray> arrays = arraysOf(p);
        const std::vector<float> w = findArray(arrays, "W")->toFloats();
        const std::vector<float> m = findArray(arrays, "opt_first_W")->toFloats();
        const rbm::Vector& first = c.state->optimizer.first[rbm::GroupWeights];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 2; ++j) {
                QVERIFY(w[static_cast<std::size_t>(i * 2 + j)] == c.model.W(i, j));
                // the moment is a flat column-major copy of W's layout
                QVERIFY(m[static_cast<std::size_t>(i * 2 + j)] == first[j * 3 + i]);
            }
    }

    void numpyReadsCheckpoints() {
        if (!numpyAvailable()) QSKIP("/usr/bin/python3 with numpy (python3-numpy) is not installed");
        const Checkpoint c = randomCheckpoint(6, 4, 14);
        const QString p = path("numpy-view.npz");
        rbm::saveCheckpoint(p.toStdString(), c);
        QProcess proc;
        proc.start(python(), {script(), "read", p, "W:0,3", "W:5,0", "W:2,1", "persistent_chains:4,5", "rng:1", "counters:2", "counters:3", "opt_steps:"});
        QVERIFY(proc.waitForFinished(60000));
        QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
        const rbm::Json j = rbm::Json::parse(proc.readAllStandardOutput().toStdString());
        const rbm::Json& a = j["arrays"];
        const std::vector<std::pair<std::string, std::string>> expected = {
            {"W", "<f4 [6,4]"}, {"visible_bias", "<f4 [6]"}, {"hidden_bias", "<f4 [4]"},
            {"counters", "<i8 [5]"}, {"rng", "<u8 [4]"}, {"chain_rng", "<u8 [4]"}, {"order", "<i4 [40]"},
            {"opt_steps", "<i8 []"}, {"opt_first_W", "<f4 [6,4]"}, {"opt_second_hidden_bias", "<f4 [4]"},
            {"persistent_chains", "<f4 [5,6]"}, {"hidden_activity_estimate", "<f4 [4]"}};
        for (const auto& [name, dtypeShape] : expected) {
            QVERIFY2(a.has(name), name.c_str());
            QCOMPARE(a[name]["dtype"].string() + " " + a[name]["shape"].dump(), dtypeShape);
        }
        QVERIFY(a["config"]["dtype"].string().rfind("<U", 0) == 0);
        const rbm::Json& v = j["values"];
        QCOMPARE(v["W:0,3"].number(), double(c.model.W(0, 3)));
        QCOMPARE(v["W:5,0"].number(), double(c.model.W(5, 0)));
        QCOMPARE(v["W:2,1"].number(), double(c.model.W(2, 1)));
        QCOMPARE(v["persistent_chains:4,5"].number(), double(c.state->persistentChains(4, 5)));
        QCOMPARE(v["rng:1"].string(), std::string("18446744073709551615"));
        QCOMPARE(v["counters:2"].string(), std::string("21"));  // positionInEpoch
        QCOMPARE(v["counters:3"].string(), std::string("97"));
        QCOMPARE(v["opt_steps:"].string(), std::string("97"));
        double sum = 0;
        for (Eigen::Index i = 0; i < c.model.W.size(); ++i) sum += double(c.model.W.data()[i]);
        QVERIFY(std::fabs(a["W"]["sum"].number() - sum) < 1e-9);
        // json.loads(str(f["config"])) and f["meta"] work in Python
        QCOMPARE(j["config"]["hidden"].number(), 4.0);
        QCOMPARE(j["config"]["algorithm"].string(), std::string("pcd"));
        QCOMPARE(j["config"]["optimizer"]["kind"].string(), std::string("adam"));
        QCOMPARE(j["meta"]["format"].string(), std::string("rbm-studio-checkpoint"));
        QCOMPARE(j["meta"]["version"].number(), 1.0);
        QCOMPARE(j["meta"]["imageCols"].number(), 3.0);
        QCOMPARE(j["meta"]["datasetName"].string(), c.datasetName);
        QCOMPARE(j["meta"]["metrics"]["trainMse"].number(), 0.0421);
        QVERIFY(j["meta"]["metrics"]["ratioWeights"].isNull());
    }

    void numpyModelOnlyFileLoads_data() {
        QTest::addColumn<QString>("flags");
        QTest::newRow("float32") << "";
        QTest::newRow("float64, compressed") << "compressed float64";
    }
    void numpyModelOnlyFileLoads() {
        if (!numpyAvailable()) QSKIP("/usr/bin/python3 with numpy (python3-numpy) is not installed");
        QFETCH(QString, flags);
        const QString p = path("from-numpy.npz");
        QProcess proc;
        proc.start(python(), QStringList{script(), "write", p, "16", "3"} + flags.split(' ', Qt::SkipEmptyParts));
        QVERIFY(proc.waitForFinished(60000));
        QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
        const Checkpoint c = rbm::loadCheckpoint(p.toStdString());
        QVERIFY(!c.state.has_value());
        QVERIFY(!c.metrics.has_value());
        QCOMPARE(c.model.nVisible(), 16);
        QCOMPARE(c.model.nHidden(), 3);
        QCOMPARE(c.config.hidden, 3);
        QCOMPARE(c.model.imageRows, 4);  // 16 visible units: guessed as a 4 x 4 image
        QCOMPARE(c.model.imageCols, 4);
        // numpy's W[i, j] = float32(i * 3 + j) / 100: read in C order
        for (int i = 0; i < 16; ++i) {
            QVERIFY(c.model.visibleBias(i) == -static_cast<float>(i) / 8.0f);
            for (int j = 0; j < 3; ++j) QVERIFY(c.model.W(i, j) == static_cast<float>(i * 3 + j) / 100.0f);
        }
        QVERIFY(c.model.hiddenBias(2) == 0.5f);
    }

    void corruptCheckpoints_data() {
        QTest::addColumn<ArrayEdit>("edit");
        QTest::addColumn<QString>("expected");
        auto remove = [](const char* name) {
            return ArrayEdit([name](std::vector<NpyArray>& v) {
                v.erase(std::remove_if(v.begin(), v.end(), [&](const NpyArray& a) { return a.name == name; }), v.end());
            });
        };
        auto replace = [](NpyArray a) {
            return ArrayEdit([a](std::vector<NpyArray>& v) {
                for (NpyArray& x : v)
                    if (x.name == a.name) x = a;
            });
        };
        const std::vector<float> f(100, 0.5f);
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("no W") << remove("W") << "not an RBM Studio checkpoint: missing 'W'";
        QTest::newRow("no visible bias") << remove("visible_bias") << "missing 'visible_bias'";
        QTest::newRow("W 1-d") << replace(NpyArray::fromFloats("W", f.data(), {12})) << "expected 2 dimensions";
        QTest::newRow("W int") << replace(NpyArray::fromInt32("W", std::vector<std::int32_t>(12).data(), {6, 2})) << "dtype '<i4'";
        QTest::newRow("visible bias too short") << replace(NpyArray::fromFloats("visible_bias", f.data(), {5})) << "'visible_bias' has shape (5,), expected (6,)";
        QTest::newRow("hidden bias 2-d") << replace(NpyArray::fromFloats("hidden_bias", f.data(), {2, 1})) << "'hidden_bias' has shape (2, 1), expected (2,)";
        QTest::newRow("NaN in W") << ArrayEdit([nan](std::vector<NpyArray>& v) {
            for (NpyArray& a : v)
                if (a.name == "W") std::memcpy(a.data.data() + 4 * 5, &nan, 4);
        }) << "W holds NaN or infinite values";
        QTest::newRow("inf in hidden bias") << replace(NpyArray::fromFloats("hidden_bias", std::vector<float>{1, INFINITY}.data(), {2}))
                                           << "hidden_bias holds NaN";
        QTest::newRow("chains wrong width") << replace(NpyArray::fromFloats("persistent_chains", f.data(), {5, 7})) << "'persistent_chains' has shape (5, 7)";
        QTest::newRow("moment wrong shape") << replace(NpyArray::fromFloats("opt_first_W", f.data(), {2, 6})) << "'opt_first_W' has shape (2, 6), expected (6, 2)";
        QTest::newRow("bias moment wrong size") << replace(NpyArray::fromFloats("opt_second_visible_bias", f.data(), {7})) << "'opt_second_visible_bias' has shape (7,)";
        QTest::newRow("activity wrong size") << replace(NpyArray::fromFloats("hidden_activity_estimate", f.data(), {3})) << "'hidden_activity_estimate'";
        QTest::newRow("counters short") << replace(NpyArray::fromInt64("counters", std::vector<std::int64_t>(4).data(), {4})) << "'counters' has shape (4,), expected (5,)";
        QTest::newRow("counters negative") << replace(NpyArray::fromInt64("counters", std::vector<std::int64_t>{-1, 0, 0, 0, 0}.data(), {5})) << "counters are negative";
        QTest::newRow("position past order") << replace(NpyArray::fromInt64("counters", std::vector<std::int64_t>{1, 1, 41, 1, 1}.data(), {5})) << "past the end of 'order'";
        QTest::newRow("rng missing") << remove("rng") << "incomplete training state: missing 'rng'";
        QTest::newRow("rng wrong dtype") << replace(NpyArray::fromInt64("rng", std::vector<std::int64_t>(4).data(), {4})) << "'rng' has dtype '<i8', expected '<u8'";
        QTest::newRow("order not a permutation") << replace(NpyArray::fromInt32("order", std::vector<std::int32_t>{0, 0, 1}.data(), {3})) << "order is not a permutation";
        QTest::newRow("config not json") << replace(NpyArray::fromString("config", "{oops")) << "configuration cannot be read";
        QTest::newRow("config wrong type") << replace(NpyArray::fromString("config", "{\"k\": \"one\"}")) << "'k' must be an integer";
        QTest::newRow("config hidden mismatch") << replace(NpyArray::fromString("config", "{\"hidden\": 3}")) << "says 3 hidden units but W has 2 columns";
        QTest::newRow("config not a string") << replace(NpyArray::fromFloats("config", f.data(), {})) << "configuration cannot be read";
        QTest::newRow("foreign meta") << replace(NpyArray::fromString("meta", "{\"format\": \"keras\"}")) << "not an RBM Studio checkpoint";
        QTest::newRow("newer version") << replace(NpyArray::fromString("meta", "{\"format\": \"rbm-studio-checkpoint\", \"version\": 2}")) << "newer RBM Studio";
        QTest::newRow("image size mismatch") << replace(NpyArray::fromString("meta", "{\"format\": \"rbm-studio-checkpoint\", \"version\": 1, \"imageRows\": 5, \"imageCols\": 5}")) << "image size 5 x 5";
        QTest::newRow("bad metrics") << replace(NpyArray::fromString("meta", "{\"format\": \"rbm-studio-checkpoint\", \"version\": 1, \"metrics\": {\"trainMse\": \"x\"}}")) << "metric 'trainMse'";
    }
    void corruptCheckpoints() {
        QFETCH(ArrayEdit, edit);
        QFETCH(QString, expected);
        const QString good = path("good.npz");
        rbm::saveCheckpoint(good.toStdString(), randomCheckpoint(6, 2, 15));
        std::vector<NpyArray> arrays = arraysOf(good);
        edit(arrays);
        const QString bad = path("bad.npz");
        rbm::writeNpz(bad.toStdString(), arrays);
        const QString m = QString::fromStdString(errorOf([&] { rbm::loadCheckpoint(bad.toStdString()); }));
        QVERIFY2(m.startsWith("Cannot load checkpoint '" + bad + "':"), qPrintable(m));
        QVERIFY2(m.contains(expected), qPrintable(m));
    }

    void truncatedAndRandomFiles_data() {
        QTest::addColumn<double>("keep");  // fraction of the file kept; < 0: random bytes
        QTest::newRow("0%") << 0.0;
        QTest::newRow("1%") << 0.01;
        QTest::newRow("50%") << 0.5;
        QTest::newRow("99%") << 0.99;
        QTest::newRow("random") << -1.0;
    }
    void truncatedAndRandomFiles() {
        QFETCH(double, keep);
        const QString good = path("whole.npz");
        rbm::saveCheckpoint(good.toStdString(), randomCheckpoint(20, 10, 16));
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        if (keep < 0) {
            std::mt19937 gen(17);
            for (char& b : bytes) b = static_cast<char>(gen());
        } else {
            bytes.truncate(static_cast<int>(keep * bytes.size()));
        }
        const QString bad = path("cut.npz");
        QFile out(bad);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(bytes);
        out.close();
        const QString m = QString::fromStdString(errorOf([&] { rbm::loadCheckpoint(bad.toStdString()); }));
        QVERIFY2(!m.isEmpty(), "a damaged file was accepted");
        QVERIFY2(m.contains("'" + bad + "'"), qPrintable(m));
    }

    void saveRefusesInconsistentState_data() {
        QTest::addColumn<int>("what");
        QTest::newRow("bias size") << 0;
        QTest::newRow("moment size") << 1;
        QTest::newRow("chain width") << 2;
        QTest::newRow("NaN weight") << 3;
    }
    void saveRefusesInconsistentState() {
        QFETCH(int, what);
        Checkpoint c = randomCheckpoint(6, 2, 18);
        if (what == 0) c.model.visibleBias.resize(5);
        if (what == 1) c.state->optimizer.first[rbm::GroupHiddenBias].resize(3);
        if (what == 2) c.state->persistentChains.resize(5, 4);
        if (what == 3) c.model.W(1, 1) = std::numeric_limits<float>::quiet_NaN();
        const QString p = path("refused.npz");
        QFile::remove(p);
        const QString m = QString::fromStdString(errorOf([&] { rbm::saveCheckpoint(p.toStdString(), c); }));
        QVERIFY2(m.startsWith("Cannot save checkpoint '" + p + "':"), qPrintable(m));
        QVERIFY(!QFile::exists(p));
    }

    void failedSaveKeepsPreviousCheckpoint() {
        const QString p = path("precious.npz");
        const Checkpoint old = randomCheckpoint(6, 2, 19);
        rbm::saveCheckpoint(p.toStdString(), old);
        // RLIMIT_FSIZE makes the write fail part-way with EFBIG, as a full disk would
        const Checkpoint big = randomCheckpoint(784, 100, 20);
        struct rlimit lim {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &lim), 0);
        const struct rlimit saved = lim;
        lim.rlim_cur = 100 * 1024;
        void (*previous)(int) = signal(SIGXFSZ, SIG_IGN);
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &lim), 0);
        const QString m = QString::fromStdString(errorOf([&] { rbm::saveCheckpoint(p.toStdString(), big); }));
        setrlimit(RLIMIT_FSIZE, &saved);
        signal(SIGXFSZ, previous);
        QVERIFY2(m.startsWith("Cannot save '" + p + "':") && m.contains("File too large"), qPrintable(m));
        compareCheckpoints(old, rbm::loadCheckpoint(p.toStdString()));
        QVERIFY(QDir(tmp_.path()).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden).isEmpty());
    }

    void checkpointInfoReadsOnlyMeta() {
        const QString p = path("info.npz");
        const Checkpoint c = randomCheckpoint(8, 3, 21);
        rbm::saveCheckpoint(p.toStdString(), c);
        const rbm::CheckpointInfo info = rbm::readCheckpointInfo(p.toStdString());
        QCOMPARE(info.epoch, std::int64_t(3));
        QCOMPARE(info.nVisible, 8);
        QCOMPARE(info.nHidden, 3);
        QCOMPARE(info.imageRows, 2);
        QCOMPARE(info.imageCols, 4);
        QVERIFY(info.hasState);
        QCOMPARE(info.datasetName, c.datasetName);
        QVERIFY(info.metrics.has_value());
        QCOMPARE(info.metrics->testMse, 0.0433);
    }

    void checkpointOfTrainerResumesExactly_data() {
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("pcd adam") << "pcd" << "adam";
        QTest::newRow("cd momentum") << "cd" << "momentum";
    }
    void checkpointOfTrainerResumesExactly() {
        // Save mid-epoch through a file, resume in a new Trainer: the next batches must give
        // bit-identical parameters to a trainer that never stopped.
        QFETCH(QString, algorithm);
        QFETCH(QString, optimizer);
        auto data = std::make_shared<rbm::Dataset>();
        data->name = "random 3x4";
        data->rows = 3;
        data->cols = 4;
        data->count = 40;
        std::mt19937 gen(25);
        for (std::size_t i = 0; i < data->count * 12; ++i) data->pixels.push_back(gen() % 2 ? 255 : 0);
        rbm::TrainingConfig config;
        config.hidden = 5;
        config.batchSize = 8;
        config.persistentChains = 6;
        config.algorithm = rbm::algorithmFromString(algorithm.toStdString());
        config.optimizer.kind = rbm::optimizerFromString(optimizer.toStdString());
        config.sparsityTarget = 0.1f;
        config.sparsityCost = 0.01f;
        config.evalSubset = 10;
        const auto empty = std::make_shared<rbm::Dataset>();
        rbm::Trainer a(data, empty, config);
        for (int i = 0; i < 7; ++i) a.trainBatch();  // 7 batches: the second epoch is under way

        const QString p = path("resume.npz");
        rbm::EpochMetrics m;
        m.epoch = 1;
        rbm::saveCheckpoint(p.toStdString(), rbm::checkpointOf(a, m));
        const Checkpoint loaded = rbm::loadCheckpoint(p.toStdString());
        QCOMPARE(loaded.datasetName, std::string("random 3x4"));
        QVERIFY(loaded.metrics.has_value());
        QVERIFY(loaded.state.has_value());
        QCOMPARE(loaded.state->counters.totalBatches, std::int64_t(7));
        QCOMPARE(rbm::toJson(loaded.config), rbm::toJson(a.config()));
        QVERIFY(sameBits(loaded.model.W, a.model().W));

        rbm::Trainer b(data, empty, loaded.config, loaded.model, *loaded.state);
        for (int i = 0; i < 6; ++i) {
            a.trainBatch();
            b.trainBatch();
        }
        QVERIFY(sameBits(a.model().W, b.model().W));
        QVERIFY(sameBits(a.model().visibleBias, b.model().visibleBias));
        QVERIFY(sameBits(a.model().hiddenBias, b.model().hiddenBias));
        QVERIFY(a.state().rng == b.state().rng);
    }

    // ---------------------------------------------------------------- run folder

    void runFolder() {
        const QString dir = path("runs/run-a");
        rbm::RunFolder run(dir.toStdString(), 2);
        QVERIFY(QFileInfo(dir).isDir());
        Checkpoint c = randomCheckpoint(6, 2, 22);
        run.writeConfig(c.config);
        QCOMPARE(rbm::toJson(rbm::trainingConfigFromJson([&] {
                     QFile f(dir + "/config.json");
                     f.open(QIODevice::ReadOnly);
                     return f.readAll().toStdString();
                 }())),
                 rbm::toJson(c.config));

        c.metrics.reset();
        c.state->counters.epoch = 0;
        QCOMPARE(QString::fromStdString(run.saveCheckpoint(c, 0)), dir + "/initial.npz");
        for (int e = 1; e <= 5; ++e) {
            c.state->counters.epoch = e;
            c.model.W(0, 0) = static_cast<float>(e);
            rbm::EpochMetrics m;
            m.epoch = e;
            m.trainMse = 0.1 / e;
            m.hasTest = e % 2 == 0;
            m.testMse = 0.2 / e;
            c.metrics = m;
            const std::string written = run.saveCheckpoint(c, e);
            QCOMPARE(QString::fromStdString(written), dir + QString("/epoch-%1.npz").arg(e, 4, 10, QChar('0')));
            run.appendMetrics(m);
        }
        // keep-last 2: epochs 4 and 5 remain; initial.npz and latest.npz are never pruned
        QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, QStringList({"config.json", "epoch-0004.npz", "epoch-0005.npz", "initial.npz", "latest.npz", "metrics.csv"}));
        const Checkpoint latest = rbm::loadCheckpoint((dir + "/latest.npz").toStdString());
        QCOMPARE(latest.model.W(0, 0), 5.0f);
        compareCheckpoints(c, latest);

        // list(): oldest first, epochs and metrics from the meta; junk is skipped
        QFile junk(dir + "/epoch-0009.npz");
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("this is not a zip file at all");
        junk.close();
        const std::vector<rbm::RunEntry> entries = rbm::RunFolder::list(dir.toStdString());
        QCOMPARE(entries.size(), std::size_t(3));
        QCOMPARE(entries[0].epoch, std::int64_t(0));
        QVERIFY(QString::fromStdString(entries[0].path).endsWith("initial.npz"));
        QVERIFY(!entries[0].hasMetrics);
        QCOMPARE(entries[1].epoch, std::int64_t(4));
        QVERIFY(entries[1].hasMetrics);
        QCOMPARE(entries[1].metrics.trainMse, 0.1 / 4);
        QCOMPARE(entries[2].epoch, std::int64_t(5));
        QVERIFY(QString::fromStdString(entries[2].path).endsWith("epoch-0005.npz"));

        // metrics.csv: a header, then one row per epoch with as many fields
        QFile csv(dir + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines[0], QString::fromStdString(rbm::RunFolder::metricsCsvHeader()));
        const int columns = lines[0].count(',') + 1;
        for (int i = 1; i <= 5; ++i) {
            const QStringList fields = lines[i].split(',');
            QCOMPARE(fields.size(), columns);
            QCOMPARE(fields[0].toInt(), i);
            QCOMPARE(fields[3].toDouble(), 0.1 / i);  // train_mse, shortest round-trip text
            QCOMPARE(fields[4].isEmpty(), i % 2 != 0);  // test columns empty without a test set
        }
        // a second RunFolder on the same folder keeps appending under the same header
        rbm::RunFolder again(dir.toStdString());
        rbm::EpochMetrics m6;
        m6.epoch = 6;
        again.appendMetrics(m6);
        csv.seek(0);
        QCOMPARE(QString::fromUtf8(csv.readAll()).count("epoch,"), 1);
    }

    void latestListedWhenItsEpochFileIsGone() {
        const QString dir = path("runs/run-b");
        rbm::RunFolder run(dir.toStdString());
        Checkpoint c = randomCheckpoint(6, 2, 23);
        run.saveCheckpoint(c, 3);
        QVERIFY(QFile::remove(dir + "/epoch-0003.npz"));
        const std::vector<rbm::RunEntry> entries = rbm::RunFolder::list(dir.toStdString());
        QCOMPARE(entries.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(entries[0].path).endsWith("latest.npz"));
        QCOMPARE(entries[0].epoch, std::int64_t(3));
        // latest.npz stays loadable on its own
        QCOMPARE(rbm::loadCheckpoint(entries[0].path).state->counters.epoch, std::int64_t(3));
    }

    void pruningNeverDeletesTheNewFile() {
        // A run resumed from epoch 2 into a folder that still holds epochs up to 9.
        const QString dir = path("runs/run-c");
        rbm::RunFolder run(dir.toStdString(), 1);
        Checkpoint c = randomCheckpoint(6, 2, 24);
        run.saveCheckpoint(c, 9);
        run.saveCheckpoint(c, 3);
        QVERIFY(QFile::exists(dir + "/epoch-0003.npz"));
    }

    void staleTemporariesAreRemoved() {
        // A save killed mid-write leaves "<file>.tmp-PID-N"; the next RunFolder on that folder
        // removes it once PID is gone, but never a live process's (ours, mid-save elsewhere).
        const QString dir = path("runs/run-stale");
        QVERIFY(QDir().mkpath(dir));
        // Linux process ids stay below 2^22 (pid_max), so these owners cannot be running.
        const QString stale = dir + "/epoch-0002.npz.tmp-999999998-0";
        const QString staleLibzip = dir + "/latest.npz.tmp-999999999-3.AbC123";
        const QString live = dir + QString("/epoch-0003.npz.tmp-%1-7").arg(QCoreApplication::applicationPid());
        for (const QString& f : {stale, staleLibzip, live}) {
            QFile file(f);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        rbm::RunFolder run(dir.toStdString());
        QVERIFY(!QFile::exists(stale));
        QVERIFY(!QFile::exists(staleLibzip));
        QVERIFY(QFile::exists(live));
    }

    void newRunDirIsUnique() {
        const QString parent = path("many-runs");
        const std::string a = rbm::RunFolder::newRunDir(parent.toStdString());
        const std::string b = rbm::RunFolder::newRunDir(parent.toStdString());
        QVERIFY(a != b);
        QVERIFY(QFileInfo(QString::fromStdString(a)).isDir());
        QVERIFY(QFileInfo(QString::fromStdString(b)).isDir());
        QVERIFY(QFileInfo(QString::fromStdString(a)).fileName().startsWith("run-"));
    }

    void runFolderErrors() {
        QFile f(path("a-file"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString m = QString::fromStdString(errorOf([&] { rbm::RunFolder r(path("a-file/sub").toStdString()); }));
        QVERIFY2(m.contains("Cannot create the run folder"), qPrintable(m));
        m = QString::fromStdString(errorOf([&] { rbm::RunFolder::list(path("missing").toStdString()); }));
        QVERIFY2(m.contains("Cannot list the run folder"), qPrintable(m));
    }
};

QTEST_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
