// The `rbm` command line, run as a person runs it: exit codes, files written, messages.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
    int exitCode = -1;
    QString out, err;
};

Result rbm(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(QStringLiteral(RBM_CLI_PATH), args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trainWritesCheckpointsAndMetrics();
    void resumeContinuesTheRun();
    void infoDescribesTheCheckpoint();
    void dreamWritesAStripOfTheExpectedSize_data();
    void dreamWritesAStripOfTheExpectedSize();
    void evalIsExactForSmallModels();
    void evalEstimatesLargerModelsWithAis();
    void badArgumentsExitTwo_data();
    void badArgumentsExitTwo();
    void badFilesExitOneNamingTheFile();

private:
    QTemporaryDir dir_;
    QString run_;
};

void TestCli::initTestCase() {
    QVERIFY(dir_.isValid());
    run_ = dir_.filePath("run");
}

void TestCli::trainWritesCheckpointsAndMetrics() {
    const Result r = rbm({"train", "--hidden", "32", "--epochs", "2", "--batch", "100", "--seed", "3", "--out", run_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char* f : {"initial.npz", "epoch-0001.npz", "epoch-0002.npz", "latest.npz", "metrics.csv", "config.json"})
        QVERIFY2(QFile::exists(run_ + "/" + f), f);
    QFile csv(run_ + "/metrics.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 3);  // header + 2 epochs
    QVERIFY(lines[0].contains("epoch"));
    // Not a terminal: one line per epoch with the metrics.
    QCOMPARE(r.err.count("epoch   "), 2);
}

void TestCli::resumeContinuesTheRun() {
    const QString resumed = dir_.filePath("resumed");
    const Result r = rbm({"train", "--resume", run_ + "/latest.npz", "--epochs", "3", "--out", resumed});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(resumed + "/epoch-0003.npz"));
    QVERIFY(!QFile::exists(resumed + "/epoch-0002.npz"));  // it continued, it did not start over
    const Result info = rbm({"info", resumed + "/latest.npz"});
    QVERIFY(info.out.contains("epoch 3"));
    QVERIFY(info.out.contains("32 hidden"));
}

void TestCli::infoDescribesTheCheckpoint() {
    const Result r = rbm({"info", run_ + "/epoch-0002.npz"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("784 visible x 32 hidden"));
    QVERIFY(r.out.contains("28x28"));
    QVERIFY(r.out.contains("\"seed\": 3"));
}

void TestCli::dreamWritesAStripOfTheExpectedSize_data() {
    QTest::addColumn<QStringList>("source");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("every");
    QTest::addColumn<int>("scale");
    QTest::newRow("test digit") << QStringList{"--from-test", "7"} << 40 << 10 << 2;
    QTest::newRow("noise") << QStringList{"--from-noise"} << 9 << 3 << 1;
    QTest::newRow("no steps") << QStringList{"--from-test", "0"} << 0 << 1 << 3;
}

void TestCli::dreamWritesAStripOfTheExpectedSize() {
    QFETCH(QStringList, source);
    QFETCH(int, steps);
    QFETCH(int, every);
    QFETCH(int, scale);
    const QString out = dir_.filePath(QString("strip-%1.png").arg(QTest::currentDataTag()).replace(' ', '-'));
    const Result r = rbm(QStringList{"dream", "--model", run_ + "/latest.npz", "--steps", QString::number(steps), "--every",
                                     QString::number(every), "--scale", QString::number(scale), "--out", out} +
                         source);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QImage img(out);
    QVERIFY(!img.isNull());
    const int frames = 1 + steps / every;
    QCOMPARE(img.width(), 28 * scale * frames);
    QCOMPARE(img.height(), 28 * scale);
    // Frames are not blank: the chain shows ink.
    int ink = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = img.width() - 28 * scale; x < img.width(); ++x) ink += qGray(img.pixel(x, y)) > 128 ? 1 : 0;
    QVERIFY(ink > 10);
}

void TestCli::evalIsExactForSmallModels() {
    const QString small = dir_.filePath("small");
    QCOMPARE(rbm({"train", "--hidden", "12", "--cd", "1", "--lr-weights", "0.05", "--epochs", "1", "--out", small}).exitCode, 0);
    const Result r = rbm({"eval", "--model", small + "/latest.npz", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["method"].toString(), QString("exact"));
    QVERIFY(j["reliable"].toBool());
    QCOMPARE(j["logZ"].toDouble(), j["exactLogZ"].toDouble());
    // A trained model beats independent pixels (about -206 nats on these digits) but not by
    // more than a 12-unit model can.
    const double ll = j["avgLogLikTest"].toDouble();
    QVERIFY2(ll < -120 && ll > -206, qPrintable(QString::number(ll)));
    QVERIFY(j["binarization"].toString().contains("127"));
}

void TestCli::evalEstimatesLargerModelsWithAis() {
    // 32 hidden and 784 visible units: too many to enumerate, so AIS with its error and bound.
    const Result r = rbm({"eval", "--model", run_ + "/latest.npz", "--ais", "20", "300", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["method"].toString(), QString("ais"));
    QVERIFY(j["logZStdErr"].toDouble() > 0);
    QVERIFY(j["ess"].toDouble() >= 1 && j["ess"].toDouble() <= 20);
    // The rigorous bound can only lower the likelihood's upper bound below the truth's ceiling.
    QVERIFY(j["upperBoundLogLikTest"].toDouble() >= j["avgLogLikTest"].toDouble() - 1e-6 ||
            !j["reliable"].toBool());
    const Result exact = rbm({"eval", "--model", run_ + "/latest.npz", "--exact"});
    QVERIFY(exact.exitCode != 0);
    QVERIFY2(exact.err.contains("25"), qPrintable(exact.err));
}

void TestCli::badArgumentsExitTwo_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << "usage";
    QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command";
    QTest::newRow("unknown option") << QStringList{"train", "--out", "x", "--wings", "2"} << "unknown option --wings";
    QTest::newRow("missing out") << QStringList{"train", "--epochs", "1"} << "--out is required";
    QTest::newRow("not a number") << QStringList{"train", "--out", "x", "--hidden", "many"} << "--hidden needs a whole number";
    QTest::newRow("zero batch") << QStringList{"train", "--out", "x", "--batch", "0"} << "batch";
    QTest::newRow("cd and pcd") << QStringList{"train", "--out", "x", "--cd", "1", "--pcd", "1"} << "cannot be combined";
    QTest::newRow("bad optimizer") << QStringList{"train", "--out", "x", "--optimizer", "rmsprop"} << "rmsprop";
    QTest::newRow("dream without source") << QStringList{"dream", "--model", "m.npz", "--out", "s.png"} << "--from-test";
    QTest::newRow("info without file") << QStringList{"info"} << "usage: rbm info";
    QTest::newRow("missing value") << QStringList{"train", "--out"} << "needs a value";
}

void TestCli::badArgumentsExitTwo() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = rbm(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestCli::badFilesExitOneNamingTheFile() {
    const QString bogus = dir_.filePath("not-a-model.npz");
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a zip archive");
    f.close();
    const Result r = rbm({"info", bogus});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("not-a-model.npz"), qPrintable(r.err));
    const Result d = rbm({"train", "--data", dir_.filePath("no-such-folder"), "--out", dir_.filePath("x")});
    QCOMPARE(d.exitCode, 1);
    QVERIFY2(d.err.contains("no-such-folder"), qPrintable(d.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
