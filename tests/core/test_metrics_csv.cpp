// A run folder's metrics.csv read back (a restored epoch keeps its curves) and cut back to an
// epoch when the run continues from there (RunFolder::resumeAt): one history, nothing deleted.
// Runs side by side (run_comparison.h): a run folder read back as written, the settings of
// two runs compared key by key, and folders that are no run refused by name.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "error_of.h"
#include "fixtures.h"
#include "rbm/metrics_csv.h"
#include "rbm/run_comparison.h"
#include "rbm/run_folder.h"

namespace {

std::string readText(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<std::int64_t> epochsOf(const std::vector<rbm::EpochMetrics>& rows) {
    std::vector<std::int64_t> e;
    for (const rbm::EpochMetrics& m : rows) e.push_back(m.epoch);
    return e;
}

}  // namespace

class TestMetricsCsv : public QObject {
    Q_OBJECT
private slots:
    void rowsReadBackAsWritten();
    void tornAndForeignLinesAreSkipped();
    void resumeAtMovesLaterEpochsAside();
    void resumeAtTheNewestEpochChangesNothing();
    void aRunFolderReadsBackForComparison();
    void settingsOfTwoRunsDifferWhereTheyDiffer();
    void aFolderThatIsNoRunIsRefused();
};

void TestMetricsCsv::rowsReadBackAsWritten() {
    QTemporaryDir dir;
    rbm::RunFolder run(dir.path().toStdString());
    rbm::EpochMetrics a = rbm::testing::epochRow(1, 0.5, 0.07);
    a.seconds = 1.25;
    a.pseudoLogLikelihood = -130.5;
    a.deadUnits = 3;
    rbm::EpochMetrics b = rbm::testing::epochRow(2, 1.0, 0.06);
    b.hasTest = false;
    run.appendMetrics(a);
    run.appendMetrics(b);
    const auto rows = rbm::readMetricsCsv(dir.filePath("metrics.csv").toStdString());
    QCOMPARE(int(rows.size()), 2);
    QCOMPARE(rows[0].epoch, std::int64_t(1));
    QCOMPARE(rows[0].seconds, 1.25);
    QCOMPARE(rows[0].trainMse, 0.07);
    QCOMPARE(rows[0].testFreeEnergy - rows[0].trainFreeEnergy, 0.5);
    QCOMPARE(rows[0].pseudoLogLikelihood, -130.5);
    QCOMPARE(rows[0].deadUnits, 3);
    QVERIFY(rows[0].hasTest);
    QVERIFY(!rows[1].hasTest);  // empty test columns
    QCOMPARE(epochsOf(rbm::readMetricsCsv(dir.filePath("metrics.csv").toStdString(), 1)), (std::vector<std::int64_t>{1}));
    QVERIFY(rbm::readMetricsCsv(dir.filePath("missing.csv").toStdString()).empty());
}

void TestMetricsCsv::tornAndForeignLinesAreSkipped() {
    const std::string header = rbm::RunFolder::metricsCsvHeader();
    const std::string row1 = rbm::RunFolder::metricsCsvRow(rbm::testing::epochRow(1));
    const std::string row2 = rbm::RunFolder::metricsCsvRow(rbm::testing::epochRow(2));
    // Killed mid-append: the last line has no newline (and is cut short).
    QCOMPARE(epochsOf(rbm::parseMetricsCsv(header + "\n" + row1 + "\n" + row2.substr(0, 10))), (std::vector<std::int64_t>{1}));
    QCOMPARE(epochsOf(rbm::parseMetricsCsv(header + "\n" + row1 + "\nnot,a,row\n" + row2 + "\n")), (std::vector<std::int64_t>{1, 2}));
    QVERIFY(rbm::parseMetricsCsv("").empty());
    QVERIFY(rbm::parseMetricsCsv("a,b\n1,2\n").empty());  // no epoch column
}

void TestMetricsCsv::resumeAtMovesLaterEpochsAside() {
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    rbm::RunFolder run(d);
    for (int e = 1; e <= 5; ++e) {
        std::ofstream(run.checkpointPath(e)) << "checkpoint " << e;  // contents do not matter here
        run.appendMetrics(rbm::testing::epochRow(e));
    }
    const std::string before = readText(d + "/metrics.csv");
    const std::string aside = run.resumeAt(2);
    QCOMPARE(QString::fromStdString(aside), dir.filePath("after-epoch-0002"));
    QCOMPARE(epochsOf(rbm::readMetricsCsv(d + "/metrics.csv")), (std::vector<std::int64_t>{1, 2}));
    QCOMPARE(run.lastMetricsEpoch(), std::int64_t(2));
    for (int e = 1; e <= 5; ++e) QCOMPARE(run.hasCheckpoint(e), e <= 2);
    for (int e = 3; e <= 5; ++e) QCOMPARE(readText(aside + "/" + rbm::RunFolder::checkpointFileName(e)), "checkpoint " + std::to_string(e));
    QCOMPARE(readText(aside + "/metrics.csv"), before);  // every old row kept there
    // Appending goes on after the kept rows; a second branch gets a folder of its own.
    run.appendMetrics(rbm::testing::epochRow(3));
    std::ofstream(run.checkpointPath(3)) << "new 3";
    QCOMPARE(QString::fromStdString(run.resumeAt(2)), dir.filePath("after-epoch-0002-2"));
    QCOMPARE(epochsOf(rbm::readMetricsCsv(d + "/metrics.csv")), (std::vector<std::int64_t>{1, 2}));
}

void TestMetricsCsv::resumeAtTheNewestEpochChangesNothing() {
    QTemporaryDir dir;
    rbm::RunFolder run(dir.path().toStdString());
    for (int e = 1; e <= 3; ++e) run.appendMetrics(rbm::testing::epochRow(e));
    const std::string before = readText(dir.filePath("metrics.csv").toStdString());
    QVERIFY(run.resumeAt(3).empty());
    QVERIFY(run.resumeAt(7).empty());
    QCOMPARE(readText(dir.filePath("metrics.csv").toStdString()), before);
    // Nothing moved aside: metrics.csv is the only entry besides the run's lock file.
    std::vector<std::string> entries;
    for (const auto& e : std::filesystem::directory_iterator(dir.path().toStdString()))
        if (e.path().filename() != ".lock") entries.push_back(e.path().filename().string());
    QCOMPARE(entries, (std::vector<std::string>{"metrics.csv"}));
}

void TestMetricsCsv::aRunFolderReadsBackForComparison() {
    QTemporaryDir dir;
    const std::string run = dir.filePath("run-a").toStdString();
    rbm::TrainingConfig c;
    c.hidden = 37;
    c.k = 3;
    {
        rbm::RunFolder folder(run);
        folder.writeConfig(c);
        for (int e = 1; e <= 3; ++e) {
            rbm::EpochMetrics m;
            m.epoch = e;
            m.trainMse = 0.1 / e;
            m.testMse = 0.2 / e;
            m.trainFreeEnergy = -100.0 - e;
            m.testFreeEnergy = -99.0;
            m.hasTest = e != 2;  // epoch 2 without a held-out figure
            folder.appendMetrics(m);
        }
    }
    const rbm::RunRecord r = rbm::readRunRecord(run);
    QCOMPARE(QString::fromStdString(r.name), QStringLiteral("run-a"));
    QVERIFY(r.hasConfig);
    QCOMPARE(r.config.hidden, 37);
    QCOMPARE(r.config.k, 3);
    QCOMPARE(epochsOf(r.metrics), (std::vector<std::int64_t>{1, 2, 3}));
    double v = 0;
    QVERIFY(rbm::runMetricValue(r.metrics[2], rbm::RunMetric::HeldOutError, v));
    QCOMPARE(v, 0.2 / 3);
    QVERIFY(rbm::runMetricValue(r.metrics[2], rbm::RunMetric::FreeEnergyGap, v));
    QCOMPARE(v, -99.0 - (-103.0));
    QVERIFY(!rbm::runMetricValue(r.metrics[1], rbm::RunMetric::HeldOutError, v));
    QVERIFY(rbm::runMetricValue(r.metrics[1], rbm::RunMetric::TrainError, v));
    QCOMPARE(v, 0.1 / 2);
}

void TestMetricsCsv::settingsOfTwoRunsDifferWhereTheyDiffer() {
    rbm::TrainingConfig a, b;
    b.k = a.k + 4;
    b.lrSchedule.kind = rbm::LrScheduleKind::Steps;
    b.lrSchedule.steps = {{5, 0.5f}};
    const std::vector<rbm::SettingRow> rows = rbm::compareSettings({a, b});
    QVERIFY(rows.size() > 10);
    QStringList differing;
    for (const rbm::SettingRow& r : rows) {
        QCOMPARE(r.values.size(), std::size_t(2));
        QCOMPARE(r.differs, r.values[0] != r.values[1]);
        if (r.differs) differing << QString::fromStdString(r.key);
    }
    QVERIFY2(differing.contains("k") && differing.contains("lrSchedule.kind") && !differing.contains("hidden"),
             qPrintable(differing.join(',')));
    const auto k = std::find_if(rows.begin(), rows.end(), [](const rbm::SettingRow& r) { return r.key == "k"; });
    QCOMPARE(k->values[1], std::to_string(a.k + 4));
    // One run against itself differs nowhere.
    for (const rbm::SettingRow& r : rbm::compareSettings({a, a})) QVERIFY(!r.differs);
}

void TestMetricsCsv::aFolderThatIsNoRunIsRefused() {
    QTemporaryDir dir;
    const std::string empty = dir.path().toStdString();
    QVERIFY(rbm::testing::errorOf([&] { rbm::readRunRecord(empty); }).find("is not a training run") != std::string::npos);
    const std::string missing = rbm::testing::errorOf([&] { rbm::readRunRecord(empty + "/nothing-here"); });
    QVERIFY2(missing.find("nothing-here") != std::string::npos && missing.find("no such folder") != std::string::npos, missing.c_str());
    std::ofstream(dir.filePath("config.json").toStdString()) << "{ not json";
    const std::string why = rbm::testing::errorOf([&] { rbm::readRunRecord(empty); });
    QVERIFY2(why.find("config.json") != std::string::npos, why.c_str());
}

QTEST_GUILESS_MAIN(TestMetricsCsv)
#include "test_metrics_csv.moc"
