// The one memory rule of the command line and the studio (memory_limits.h): the ceilings, the
// arithmetic of what a training run holds, and messages that name the shape and the bytes.
#include <QtTest>

#include <limits>

#include "error_of.h"
#include "rbm/memory_limits.h"
#include "rbm/training_config.h"

namespace {

using rbm::testing::errorOf;
constexpr std::uint64_t kGB = 1000ull * 1000 * 1000;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestMemoryLimits : public QObject {
    Q_OBJECT
private slots:
    void formatsBytes_data() {
        QTest::addColumn<quint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("one") << quint64(1) << "1 byte";
        QTest::newRow("bytes") << quint64(999) << "999 bytes";
        QTest::newRow("kB") << quint64(4150) << "4.1 kB";
        QTest::newRow("rounded down") << quint64(33554432000ull) << "33.5 GB";
        QTest::newRow("hundreds") << quint64(812'900'000ull) << "812 MB";
        QTest::newRow("2 GiB") << quint64(rbm::kMaxArrayBytes) << "2.1 GB";
        QTest::newRow("largest") << quint64(std::numeric_limits<std::uint64_t>::max()) << "18.4 EB";
    }
    void formatsBytes() {
        QFETCH(quint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(rbm::formatBytes(bytes)), text);
    }

    void trainingBytesAddsUp() {
        // 784 x 500 weights (1,568,000 bytes) four times over, 3 batch columns of 100, 2 of 50 chains.
        QCOMPARE(rbm::trainingBytes(784, 500, 100, 50), std::uint64_t(4 * 1568000 + 784 * 4 * (3 * 100 + 2 * 50)));
        QCOMPARE(rbm::trainingBytes(784, 500), std::uint64_t(4 * 1568000));
        // Saturates instead of wrapping around to a small number that would pass.
        const std::int64_t big = std::numeric_limits<std::int64_t>::max();
        QCOMPARE(rbm::trainingBytes(big, big, big, big), std::numeric_limits<std::uint64_t>::max());
    }

    void modelOverTheArrayCeilingIsRefused() {
        // Issue 13: one 4096 x 4096 image with the default 500 hidden units (33.5 GB of weights).
        const std::string why = rbm::whyModelDoesNotFit(4096 * 4096, 500, 1, 0, 0);
        QVERIFY2(contains(why, "500 hidden x 16,777,216 pixels needs 33.5 GB for its weights alone"), why.c_str());
        QVERIFY2(contains(why, "limit of 2.1 GB per array"), why.c_str());
        // Just under the ceiling with memory unchecked: fits; one hidden unit more: refused.
        const std::int64_t nv = 1 << 20, nh = std::int64_t(rbm::kMaxArrayBytes / 4) / nv;
        QVERIFY(rbm::whyModelDoesNotFit(nv, nh, 0, 0, 0).empty());
        QVERIFY(!rbm::whyModelDoesNotFit(nv, nh + 1, 0, 0, 0).empty());
        QVERIFY(rbm::whyModelDoesNotFit(0, 500).empty());  // no shape yet: the model's own checks name it
    }

    void modelOverThisMachinesMemoryIsRefused() {
        // 65,536 pixels x 4,096 hidden: 1.07 GB of weights (under the ceiling), ~4.3 GB to train.
        const std::uint64_t needs = rbm::trainingBytes(65536, 4096, 100, 0);
        QVERIFY(needs > 4 * kGB);
        QVERIFY(rbm::whyModelDoesNotFit(65536, 4096, 100, 0, 8 * kGB).empty());
        const std::string why = rbm::whyModelDoesNotFit(65536, 4096, 100, 0, 4 * kGB);
        QVERIFY2(contains(why, "4,096 hidden x 65,536 pixels needs about " + rbm::formatBytes(needs) + " to train"), why.c_str());
        QVERIFY2(contains(why, "this machine's 4.0 GB of memory"), why.c_str());
    }

    void trainingConfigUsesItsBatchAndChains() {
        rbm::TrainingConfig c;
        c.hidden = 1;
        c.batchSize = 1000;
        c.algorithm = rbm::Algorithm::PCD;
        c.persistentChains = 500;
        // A 4096 x 4096 image and one hidden unit: 67 MB of weights, but 1000-image batches of
        // floats would need 201 GB; with 10 images the batch is 10.
        const std::int64_t nv = 4096 * 4096;
        const std::string many = rbm::whyTrainingDoesNotFit(c, nv, 100000, 64 * kGB);
        QVERIFY2(contains(many, "needs about " + rbm::formatBytes(rbm::trainingBytes(nv, 1, 1000, 500))), many.c_str());
        c.persistentChains = 0;  // as many as the batch
        c.algorithm = rbm::Algorithm::CD;
        QVERIFY(rbm::whyTrainingDoesNotFit(c, nv, 10, 64 * kGB).empty());
        const std::string e = errorOf([&] { rbm::checkTrainingFits(c, nv, 100000, "digits.idx"); });
        QVERIFY2(e.empty() || e.compare(0, 12, "digits.idx: ") == 0, e.c_str());
        c.hidden = 500;
        const std::string named = errorOf([&] { rbm::checkTrainingFits(c, nv, 1, "huge-images-idx3-ubyte"); });
        QVERIFY2(named.compare(0, 24, "huge-images-idx3-ubyte: ") == 0, named.c_str());
        QVERIFY2(contains(named, "33.5 GB"), named.c_str());
    }

    void datasetCeiling() {
        QVERIFY(rbm::whyImagesDoNotFit(60000, 28, 28).empty());
        QVERIFY(rbm::whyImagesDoNotFit(256, 4096, 4096).empty());  // exactly 4 GiB
        const std::string why = rbm::whyImagesDoNotFit(1000, 4096, 4096);
        QVERIFY2(contains(why, "1,000 images of 4,096 x 4,096 pixels need 16.7 GB, more than the limit of 4.2 GB"), why.c_str());
        // The largest a session may claim (1e9 images of 100,000 x 100,000) neither wraps nor passes.
        QVERIFY(!rbm::whyImagesDoNotFit(1000000000ull, 100000, 100000).empty());
        QVERIFY(!rbm::whyImagesDoNotFit(std::numeric_limits<std::uint64_t>::max(), 1u << 20, 1u << 20).empty());
    }
};

QTEST_GUILESS_MAIN(TestMemoryLimits)
#include "test_memory_limits.moc"
