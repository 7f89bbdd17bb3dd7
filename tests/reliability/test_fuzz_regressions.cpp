// Inputs the fuzz targets (fuzz/) turned up, as unit tests: each is refused with a sentence,
// with no undefined behaviour on the way (the asan build of scripts/ci-sanitizers runs these
// under UBSan). The raw inputs are in fuzz/regressions/ and are replayed by CI too.
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

#include "error_of.h"
#include "rbm/checkpoint.h"
#include "rbm/json.h"
#include "rbm/npz.h"

namespace {

using rbm::testing::errorOf;

/// A valid tiny checkpoint (4 visible, 2 hidden, model only) whose 'meta' JSON is edited by `edit`.
std::vector<rbm::NpyArray> checkpointWithMeta(const std::function<void(rbm::Json&)>& edit, const QString& dir) {
    rbm::Checkpoint c;
    c.model = rbm::Rbm(4, 2);
    c.model.imageRows = c.model.imageCols = 2;
    c.config.hidden = 2;
    const std::string path = (dir + "/valid.npz").toStdString();
    rbm::saveCheckpoint(path, c);
    std::vector<rbm::NpyArray> arrays = rbm::readNpz(path);
    for (rbm::NpyArray& a : arrays) {
        if (a.name != "meta") continue;
        rbm::Json meta = rbm::Json::parse(a.toString());
        edit(meta);
        a = rbm::NpyArray::fromString("meta", meta.dump());
    }
    return arrays;
}

}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }
    void imageSizeProductOverflow();
    void metricIntegerBeyondInt();

private:
    QTemporaryDir tmp_;
};

void TestFuzzRegressions::imageSizeProductOverflow() {
    // fuzz: image size overflow - meta imageRows = imageCols = 100000 multiplied as int in the
    // model validation (signed overflow, UBSan: checkpoint.cpp "100000 * 100000 cannot be
    // represented in type 'int'"); fuzz/regressions/checkpoint/image-size-overflow.entries
    const auto arrays = checkpointWithMeta(
        [](rbm::Json& m) {
            m.set("imageRows", 100000);
            m.set("imageCols", 100000);
        },
        tmp_.path());
    const std::string path = tmp_.filePath("image-size.npz").toStdString();
    rbm::writeNpz(path, arrays);
    const std::string err = errorOf([&] { rbm::loadCheckpoint(path); });
    QVERIFY2(err.find("image size 100000 x 100000") != std::string::npos, err.c_str());
    QVERIFY2(err.find("4 visible units") != std::string::npos, err.c_str());
    // 65536 x 65536 wraps to exactly 0 in 32 bits: it must not pass as "unknown size".
    const auto wrapped = checkpointWithMeta(
        [](rbm::Json& m) {
            m.set("imageRows", 65536);
            m.set("imageCols", 65536);
        },
        tmp_.path());
    rbm::writeNpz(path, wrapped);
    QVERIFY(!errorOf([&] { rbm::loadCheckpoint(path); }).empty());
}

void TestFuzzRegressions::metricIntegerBeyondInt() {
    // fuzz: metric integer out of range - deadUnits 1e10 converted to int (UBSan: "1e+10 is
    // outside the range of representable values of type 'int'"); fixed in checkpoint.cpp by
    // 203a996, kept as fuzz/regressions/checkpoint/dead-units-1e10.entries.
    const auto arrays = checkpointWithMeta(
        [](rbm::Json& m) {
            rbm::Json metrics = rbm::Json::object();
            metrics.set("epoch", 1);
            metrics.set("deadUnits", 1e10);
            m.set("metrics", metrics);
        },
        tmp_.path());
    const std::string path = tmp_.filePath("dead-units.npz").toStdString();
    rbm::writeNpz(path, arrays);
    const std::string err = errorOf([&] { rbm::loadCheckpoint(path); });
    QVERIFY2(err.find("deadUnits") != std::string::npos, err.c_str());
    const std::string infoErr = errorOf([&] { rbm::readCheckpointInfo(path); });
    QVERIFY2(infoErr.find("deadUnits") != std::string::npos, infoErr.c_str());
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
