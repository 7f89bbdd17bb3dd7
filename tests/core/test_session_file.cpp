// Session files: every field round-trips, a run reproduces bit for bit from one, and a damaged,
// truncated, foreign or newer file is refused with a sentence naming it and the reason.
#include <QtTest>

#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <random>

#include "error_of.h"
#include "fixtures.h"
#include "rbm/checkpoint.h"
#include "rbm/json.h"
#include "rbm/npz.h"
#include "rbm/session_file.h"
#include "rbm/trainer.h"

using rbm::Session;
using rbm::SessionDataset;

namespace {

using rbm::testing::errorOf;
using rbm::testing::firstDigits;

template <typename M>
bool sameBits(const M& a, const M& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0);
}

bool sameModel(const rbm::Rbm& a, const rbm::Rbm& b) {
    return sameBits(a.W, b.W) && sameBits(a.visibleBias, b.visibleBias) && sameBits(a.hiddenBias, b.hiddenBias);
}

/// A tiny model that trains 50 batches in milliseconds; PCD + Adam so that chains, moments and
/// both generators are part of what must be restored.
rbm::TrainingConfig tinyConfig() {
    rbm::TrainingConfig c;
    c.hidden = 12;
    c.batchSize = 10;
    c.epochs = 3;
    c.seed = 0xFEDCBA9876543210ULL;  // above 2^53: a seed JSON numbers cannot hold
    c.algorithm = rbm::Algorithm::PCD;
    c.persistentChains = 7;
    c.optimizer.kind = rbm::OptimizerKind::Adam;
    c.learningRateWeights = 0.0125f;
    c.sparsityTarget = 0.1f;
    c.sparsityCost = 0.01f;
    c.evalSubset = 20;
    return c;
}

rbm::DatasetPair tinyData() {
    rbm::DatasetPair p;
    p.train = *firstDigits(120);
    p.test = *firstDigits(15);
    p.train.name = "first 120 digits";
    return p;
}

std::shared_ptr<const rbm::Dataset> shared(const rbm::Dataset& d) { return std::make_shared<const rbm::Dataset>(d); }

void trainBatches(rbm::Trainer& t, int n) {
    for (int i = 0; i < n; ++i) t.trainBatch();
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string bytesOf(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    return std::string(b.constData(), std::size_t(b.size()));
}

void writeBytes(const QString& path, const std::string& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

    /// A session with every part: inline data, a trained start model and a second one, a dream.
    Session fullSession() {
        const rbm::DatasetPair data = tinyData();
        rbm::Trainer t(shared(data.train), shared(data.test), tinyConfig());
        trainBatches(t, 5);
        Session s;
        s.config = tinyConfig();
        s.config.learningRateBiases = 0.02f;
        s.createdBy = "test";
        s.dataset = rbm::describeDataset(data.train, data.test, "/somewhere/digits");
        s.models.push_back({"start model", rbm::checkpointOf(t)});
        trainBatches(t, 3);
        s.models.push_back({"epoch \xe2\x80\x94 later", rbm::checkpointOf(t)});
        rbm::SessionDream d;
        d.seed = 0xFFFFFFFFFFFFFFFFULL;
        d.chains = 4;
        d.beta = 0.75f;
        d.meanField = true;
        d.rows = d.cols = 28;
        std::mt19937 gen(3);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (int i = 0; i < 28 * 28; ++i) {
            d.drawing.push_back(u(gen));
            d.clampMask.push_back(i < 14 * 28 ? 1.0f : 0.0f);
        }
        s.dream = d;
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void everyFieldRoundTrips() {
        const Session s = fullSession();
        QCOMPARE(s.dataset.kind, SessionDataset::Kind::Inline);
        const QString file = path("full.rbmsession");
        rbm::saveSession(file.toStdString(), s);
        const Session r = rbm::loadSession(file.toStdString());

        QCOMPARE(q(rbm::toJson(r.config)), q(rbm::toJson(s.config)));
        QCOMPARE(r.config.seed, s.config.seed);
        QCOMPARE(q(r.createdBy), q(s.createdBy));

        QCOMPARE(r.dataset.kind, s.dataset.kind);
        QCOMPARE(q(r.dataset.path), q(s.dataset.path));
        QCOMPARE(q(r.dataset.name), q(s.dataset.name));
        QCOMPARE(r.dataset.rows, 28);
        QCOMPARE(r.dataset.trainCount, std::size_t(120));
        QCOMPARE(r.dataset.testCount, std::size_t(15));
        QCOMPARE(q(r.dataset.fingerprint), q(s.dataset.fingerprint));
        QVERIFY(r.dataset.data);
        QVERIFY(r.dataset.data->train.pixels == s.dataset.data->train.pixels);
        QVERIFY(r.dataset.data->train.labels == s.dataset.data->train.labels);
        QVERIFY(r.dataset.data->test.pixels == s.dataset.data->test.pixels);
        QVERIFY(r.dataset.data->test.labels == s.dataset.data->test.labels);

        QCOMPARE(r.models.size(), std::size_t(2));
        for (std::size_t i = 0; i < 2; ++i) {
            const rbm::Checkpoint &a = s.models[i].checkpoint, &b = r.models[i].checkpoint;
            QCOMPARE(q(r.models[i].name), q(s.models[i].name));
            QVERIFY(sameModel(a.model, b.model));
            QCOMPARE(q(rbm::toJson(b.config)), q(rbm::toJson(a.config)));
            QVERIFY(b.state);
            QCOMPARE(b.state->counters.totalBatches, a.state->counters.totalBatches);
            QVERIFY(b.state->rng == a.state->rng);
            QVERIFY(b.state->chainRng == a.state->chainRng);
            QVERIFY(b.state->order == a.state->order);
            QVERIFY(sameBits(b.state->persistentChains, a.state->persistentChains));
            QVERIFY(sameBits(b.state->optimizer.first[rbm::GroupWeights], a.state->optimizer.first[rbm::GroupWeights]));
        }

        QVERIFY(r.dream);
        QCOMPARE(r.dream->seed, s.dream->seed);
        QCOMPARE(r.dream->chains, 4);
        QCOMPARE(r.dream->beta, 0.75f);
        QCOMPARE(r.dream->meanField, true);
        QVERIFY(r.dream->drawing == s.dream->drawing);
        QVERIFY(r.dream->clampMask == s.dream->clampMask);
    }

    void minimalSessionRoundTrips() {
        // The embedded digits by reference, no model (Start initialises one from the seed), no dream.
        const rbm::DatasetPair embedded = rbm::loadEmbeddedMnist();
        Session s;
        s.config = tinyConfig();
        s.dataset = rbm::describeDataset(embedded.train, embedded.test, "embedded");
        QCOMPARE(s.dataset.kind, SessionDataset::Kind::Embedded);
        const QString file = path("minimal.rbmsession");
        rbm::saveSession(file.toStdString(), s);
        QVERIFY(QFileInfo(file).size() < 20000);  // a reference, not 7 MB of digits
        const Session r = rbm::loadSession(file.toStdString());
        QVERIFY(r.models.empty());
        QVERIFY(!r.dream);
        QVERIFY(!r.dataset.data);
        const rbm::DatasetPair back = rbm::resolveSessionDataset(r.dataset);
        QCOMPARE(back.train.count, embedded.train.count);
        QCOMPARE(q(rbm::datasetFingerprint(back.train, back.test)), q(s.dataset.fingerprint));
    }

    void referencedDatasetIsChecked() {
        // A large dataset travels as its path; another dataset at that path is refused, not trained on.
        const QString folder = qEnvironmentVariable("RBM_TEST_DATA");
        if (folder.isEmpty()) QSKIP("RBM_TEST_DATA is not set (run under CTest)");
        const rbm::DatasetPair fromFolder = rbm::loadDataset(folder.toStdString());
        SessionDataset d = rbm::describeDataset(fromFolder.train, fromFolder.test, folder.toStdString(), 0);
        QCOMPARE(d.kind, SessionDataset::Kind::Path);
        QCOMPARE(rbm::resolveSessionDataset(d).train.count, fromFolder.train.count);

        const rbm::DatasetPair other = tinyData();
        SessionDataset wrong = rbm::describeDataset(other.train, other.test, folder.toStdString(), 0);
        const std::string e = errorOf([&] { rbm::resolveSessionDataset(wrong); });
        QVERIFY2(e.find("is not the one the session was saved with") != std::string::npos, e.c_str());
        wrong.path = path("no-such-folder").toStdString();
        const std::string missing = errorOf([&] { rbm::resolveSessionDataset(wrong); });
        QVERIFY2(missing.find("cannot be opened here") != std::string::npos && missing.find("no-such-folder") != std::string::npos,
                 missing.c_str());
    }

    void runReproducesBitForBit() {
        // A teacher trains 20 batches and mails the session; the run continued on another machine
        // and the teacher's own run agree in every bit after 30 more batches. A new model from the
        // session's seed trains the same 50 batches twice.
        const rbm::DatasetPair data = tinyData();
        rbm::Trainer teacher(shared(data.train), shared(data.test), tinyConfig());
        trainBatches(teacher, 20);
        Session s;
        s.config = tinyConfig();
        s.dataset = rbm::describeDataset(data.train, data.test, "drawn");
        s.models.push_back({"start model", rbm::checkpointOf(teacher)});
        const QString file = path("mailed.rbmsession");
        rbm::saveSession(file.toStdString(), s);
        trainBatches(teacher, 30);

        const Session r = rbm::loadSession(file.toStdString());
        const rbm::DatasetPair pair = rbm::resolveSessionDataset(r.dataset);
        const rbm::Checkpoint& c = r.models.at(0).checkpoint;
        rbm::Trainer student(shared(pair.train), shared(pair.test), c.config, c.model, *c.state);
        trainBatches(student, 30);
        QVERIFY(sameModel(student.model(), teacher.model()));
        QCOMPARE(student.counters().totalBatches, std::int64_t(50));

        rbm::Trainer fresh1(shared(pair.train), shared(pair.test), r.config);
        rbm::Trainer fresh2(shared(pair.train), shared(pair.test), r.config);
        trainBatches(fresh1, 50);
        trainBatches(fresh2, 50);
        QVERIFY(sameModel(fresh1.model(), fresh2.model()));
    }

    void damagedFilesAreRefused_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");  // a piece of the sentence
        QTest::newRow("truncated") << "truncated" << "";
        QTest::newRow("random bytes") << "random" << "";
        QTest::newRow("empty file") << "empty" << "";
        QTest::newRow("npz without session") << "foreign npz" << "not an RBM Studio session";
        QTest::newRow("a checkpoint") << "checkpoint" << "model checkpoint, not a session";
        QTest::newRow("newer version") << "newer" << "newer RBM Studio (session version 2";
        QTest::newRow("another format") << "format" << "another format";
        QTest::newRow("damaged model") << "model bytes" << "model 'start model' is damaged";
        QTest::newRow("drawing off the grid") << "drawing" << "dream_drawing";
        QTest::newRow("settings not JSON") << "json" << "not readable JSON";
        // Issue 13: no file kind blocks, and nothing is allocated past what the settings need.
        QTest::newRow("a FIFO") << "fifo" << "named pipe (FIFO)";
        QTest::newRow("a folder") << "folder" << "folder";
        QTest::newRow("a link to /dev/zero") << "device" << "character device";
        QTest::newRow("a PNG renamed") << "png" << "not a zip archive";
        QTest::newRow("settings of garbage") << "garbage json" << "not readable JSON";
        QTest::newRow("settings nested 100000 deep") << "nested json" << "nesting deeper than";
        QTest::newRow("settings of 18 MB") << "huge json" << "more than the limit of 16.7 MB for a session's settings";
        QTest::newRow("settings not a text") << "settings floats" << "'session' entry is not a text";
        QTest::newRow("a giant inline dataset") << "giant dataset"
                                                << "its dataset is too large: 1,000,000 images of 4,096 x 4,096 pixels need 16.7 TB";
        QTest::newRow("a giant model") << "giant model" << "a model of 4,096 hidden x 16,777,216 pixels needs 274 GB for its weights alone";
        QTest::newRow("pixels of another shape") << "pixels shape" << "'train_pixels' has shape (1, 28, 28), expected (120, 28, 28)";
    }

    void damagedFilesAreRefused() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        const QString good = path("good.rbmsession");
        if (!QFileInfo::exists(good)) rbm::saveSession(good.toStdString(), fullSession());
        const std::string bytes = bytesOf(good);
        const QString bad = path("bad-" + kind + ".rbmsession");
        std::vector<rbm::NpyArray> arrays = rbm::readNpz(good.toStdString());
        auto edit = [&](const std::string& name, const std::function<void(rbm::NpyArray&)>& f) {
            for (rbm::NpyArray& a : arrays)
                if (a.name == name) f(a);
            rbm::writeNpz(bad.toStdString(), arrays);
        };
        auto editJson = [&](const std::function<std::string(std::string)>& f) {
            edit("session", [&](rbm::NpyArray& a) { a = rbm::NpyArray::fromString("session", f(a.toString())); });
        };
        auto replace = [](std::string s, const std::string& from, const std::string& to) {
            const std::size_t at = s.find(from);
            return at == std::string::npos ? s : s.replace(at, from.size(), to);
        };
        if (kind == "truncated") writeBytes(bad, bytes.substr(0, bytes.size() / 2));
        if (kind == "random") {
            std::mt19937 gen(7);
            std::string noise(4096, '\0');
            for (char& ch : noise) ch = static_cast<char>(gen());
            writeBytes(bad, noise);
        }
        if (kind == "empty") writeBytes(bad, "");
        if (kind == "foreign npz") {
            const float x[3] = {1, 2, 3};
            rbm::writeNpz(bad.toStdString(), {rbm::NpyArray::fromFloats("x", x, {3})});
        }
        if (kind == "checkpoint") {
            const Session s = fullSession();
            rbm::saveCheckpoint(bad.toStdString(), s.models[0].checkpoint);
        }
        if (kind == "newer") editJson([&](std::string j) { return replace(j, "\"version\": 1", "\"version\": 2"); });
        if (kind == "format") editJson([&](std::string j) { return replace(j, "rbm-studio-session", "someone-else"); });
        if (kind == "json") editJson([&](std::string j) { return j.substr(0, j.size() / 2); });
        if (kind == "model bytes") edit("model_0", [](rbm::NpyArray& a) {
            a.data.resize(a.data.size() / 2);
            a.shape = {a.data.size()};
        });
        if (kind == "drawing") edit("dream_drawing", [](rbm::NpyArray& a) { a.shape = {784, 1}; });
        if (kind == "fifo") QCOMPARE(::mkfifo(QFile::encodeName(bad).constData(), 0600), 0);
        if (kind == "folder") QVERIFY(QDir().mkpath(bad));
        if (kind == "device") QVERIFY(QFile::link("/dev/zero", bad));
        if (kind == "png") {
            static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x08\0\0\0\x08\x08\0\0\0\0";  // a PNG's first bytes
            writeBytes(bad, std::string(png, sizeof png - 1));
        }
        if (kind == "garbage json") editJson([](std::string) { return std::string("{\"format\": \"rbm-studio-session\", \xff\xfe garbage"); });
        if (kind == "nested json") editJson([](std::string) { return std::string(100000, '['); });
        if (kind == "huge json") editJson([](std::string j) { return j + std::string(4'500'000, ' '); });
        if (kind == "settings floats") edit("session", [](rbm::NpyArray& a) {
            const float x[2] = {1, 2};
            a = rbm::NpyArray::fromFloats("session", x, {2});
        });
        auto editDataset = [&](const std::function<void(rbm::Json& config, rbm::Json& dataset)>& f) {
            editJson([&](const std::string& text) {
                rbm::Json j = rbm::Json::parse(text), config = j["config"], dataset = j["dataset"];
                f(config, dataset);
                j.set("config", config);
                j.set("dataset", dataset);
                return j.dump();
            });
        };
        if (kind == "giant dataset") editDataset([](rbm::Json&, rbm::Json& d) {
            d.set("trainCount", 1000000);
            d.set("rows", 4096);
            d.set("cols", 4096);
        });
        if (kind == "giant model") editDataset([](rbm::Json& c, rbm::Json& d) {
            c.set("hidden", 4096);
            d.set("rows", 4096);
            d.set("cols", 4096);
        });
        if (kind == "pixels shape") edit("train_pixels", [](rbm::NpyArray& a) {
            a.shape = {1, 28, 28};
            a.data.resize(28 * 28);
        });

        const std::string e = errorOf([&] { rbm::loadSession(bad.toStdString()); });
        qInfo("%s", e.c_str());
        const std::string named = "Cannot open session '" + bad.toStdString() + "': ";
        QVERIFY2(e.compare(0, named.size(), named) == 0, e.c_str());
        QVERIFY2(e.size() > named.size() + 5, e.c_str());  // and a reason
        QVERIFY2(e.find(reason.toStdString()) != std::string::npos, e.c_str());
        QVERIFY2(e.find("rbm-session-") == std::string::npos, e.c_str());  // no scratch file names
    }

    void savingIsAtomic() {
        // A session that cannot be saved leaves the previous file as it was.
        const QString file = path("atomic.rbmsession");
        rbm::saveSession(file.toStdString(), fullSession());
        const std::string before = bytesOf(file);
        Session broken = fullSession();
        broken.dataset.rows = 27;  // the models no longer fit the images
        const std::string e = errorOf([&] { rbm::saveSession(file.toStdString(), broken); });
        QVERIFY2(e.find("Cannot save session '" + file.toStdString() + "'") == 0, e.c_str());
        QVERIFY(bytesOf(file) == before);
        const std::string ro = errorOf([&] { rbm::saveSession("/proc/no-such/x.rbmsession", fullSession()); });
        QVERIFY2(ro.find("/proc/no-such/x.rbmsession") != std::string::npos, ro.c_str());
        QVERIFY(QDir(dir_.path()).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"
