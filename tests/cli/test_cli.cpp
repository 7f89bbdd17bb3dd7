// The `rbm` command line, run as a person runs it: exit codes, files written, messages.
#include <QDir>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

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
    void trainsOnTheThreadsAsked();
    void infoDescribesTheCheckpoint();
    void dreamWritesAStripOfTheExpectedSize_data();
    void dreamWritesAStripOfTheExpectedSize();
    void evalIsExactForSmallModels();
    void evalEstimatesLargerModelsWithAis();
    void evalExactGivesTheKlOnBarsAndStripes();
    void badArgumentsExitTwo_data();
    void badArgumentsExitTwo();
    void everyCommandAnswersHelp_data();
    void everyCommandAnswersHelp();
    void versionIsTheProjectVersion();
    void badFilesExitOneNamingTheFile();
    void trainsOnYourOwnData_data();
    void trainsOnYourOwnData();

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

void TestCli::trainsOnTheThreadsAsked() {
    const QString twoThreads = dir_.filePath("two-threads");
    const Result r = rbm({"train", "--hidden", "96", "--epochs", "1", "--threads", "2", "--seed", "3", "--out", twoThreads});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile config(twoThreads + "/config.json");
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(config.readAll()).contains("\"threads\": 2"));
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

void TestCli::evalExactGivesTheKlOnBarsAndStripes() {
    const QString run = dir_.filePath("bars");
    QCOMPARE(rbm({"train", "--data", "bars-and-stripes:3x3", "--hidden", "6", "--batch", "7", "--epochs", "2", "--out", run}).exitCode, 0);
    const Result r = rbm({"eval", "--model", run + "/latest.npz", "--data", "bars-and-stripes:3x3", "--exact", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["trainCount"].toInt(), 14);
    QCOMPARE(j["distinctTrain"].toInt(), 14);
    // 14 equally likely patterns: H = log 14, and KL = -H - mean log p.
    QVERIFY(std::abs(j["dataEntropyTrain"].toDouble() - std::log(14.0)) < 1e-12);
    const double kl = j["klTrain"].toDouble();
    QVERIFY2(kl > 0 && std::abs(kl - (-std::log(14.0) - j["avgLogLikTrain"].toDouble())) < 1e-9, qPrintable(r.out));
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
    QTest::newRow("not a number") << QStringList{"train", "--out", "x", "--hidden", "many"} << "--hidden: needs a whole number";
    QTest::newRow("number with a tail") << QStringList{"train", "--out", "x", "--hidden", "12abc"} << "--hidden: needs a whole number, got '12abc'";
    QTest::newRow("fraction for a count") << QStringList{"eval", "--model", "m.npz", "--threads", "2.5"} << "--threads: needs a whole number";
    QTest::newRow("malformed rate") << QStringList{"train", "--out", "x", "--lr-weights", "0.1x"} << "--lr-weights: needs a number, got '0.1x'";
    QTest::newRow("rate beyond double") << QStringList{"train", "--out", "x", "--lr-weights", "1e400"} << "--lr-weights: needs a number";
    QTest::newRow("malformed AIS betas") << QStringList{"eval", "--model", "m.npz", "--ais", "20", "many"} << "--ais: needs a whole number";
    // Decimal, as people write it: 033 is thirty-three (beyond 32), not octal 27.
    QTest::newRow("leading zero") << QStringList{"dream", "--model", "m.npz", "--from-noise", "--out", "s.png", "--scale", "033"} << "--scale: must be from 1 to 32, got 33";
    QTest::newRow("hex") << QStringList{"dream", "--model", "m.npz", "--from-noise", "--out", "s.png", "--steps", "0x10"} << "--steps: needs a whole number";
    QTest::newRow("zero batch") << QStringList{"train", "--out", "x", "--batch", "0"} << "batch";
    QTest::newRow("zero training threads") << QStringList{"train", "--out", "x", "--threads", "0"} << "--threads: must be from 1 to 64, got 0";
    QTest::newRow("cd and pcd") << QStringList{"train", "--out", "x", "--cd", "1", "--pcd", "1"} << "--cd excludes --pcd";
    QTest::newRow("exact and ais") << QStringList{"eval", "--model", "m.npz", "--exact", "--ais", "20", "300"} << "--exact excludes --ais";
    QTest::newRow("given twice") << QStringList{"train", "--out", "x", "--hidden", "4", "--hidden", "5"} << "--hidden";
    QTest::newRow("two start images") << QStringList{"dream", "--model", "m.npz", "--out", "s.png", "--from-noise", "--from-test", "1"} << "2 were given";
    QTest::newRow("dream steps out of range") << QStringList{"dream", "--model", "m.npz", "--from-noise", "--out", "s.png", "--steps", "2000000"} << "--steps: must be from 0 to 1000000";
    QTest::newRow("bad optimizer") << QStringList{"train", "--out", "x", "--optimizer", "rmsprop"} << "rmsprop";
    QTest::newRow("dream without source") << QStringList{"dream", "--model", "m.npz", "--out", "s.png"} << "--from-test";
    QTest::newRow("info without file") << QStringList{"info"} << "usage: rbm info";
    QTest::newRow("info with two files") << QStringList{"info", "a.npz", "b.npz"} << "unexpected argument 'b.npz'";
    QTest::newRow("missing value") << QStringList{"train", "--out"} << "--out: 1 required";
    QTest::newRow("empty value") << QStringList{"train", "--out", ""} << "--out: needs a value";
    // The mistyped option is the cause, not the "--out is required" it leads to.
    QTest::newRow("typo") << QStringList{"train", "--ot", "x"} << "unknown option --ot";
    QTest::newRow("unknown top-level option") << QStringList{"--wings"} << "--wings";
}

void TestCli::badArgumentsExitTwo() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = rbm(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    if (!args.isEmpty()) QVERIFY2(r.err.contains("--help"), qPrintable(r.err));  // the way to the options
    QVERIFY(r.out.isEmpty());
}

void TestCli::everyCommandAnswersHelp_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("rbm --help") << QStringList{"--help"} << QStringList{"usage: rbm", "train", "dream", "eval", "info", "--version"};
    QTest::newRow("rbm -h") << QStringList{"-h"} << QStringList{"usage: rbm", "train", "dream", "eval", "info"};
    QTest::newRow("rbm help") << QStringList{"help"} << QStringList{"usage: rbm", "train", "dream", "eval", "info"};
    QTest::newRow("train") << QStringList{"train", "--help"}
                           << QStringList{"usage: rbm train", "--out", "--data", "--preset", "--resume", "--hidden", "--cd",
                                          "--pcd", "--chains", "--batch", "--epochs", "--optimizer", "--lr-weights",
                                          "--lr-biases", "--momentum", "--no-momentum-schedule", "--weight-decay",
                                          "--sparsity-target", "--sparsity-cost", "--init", "--binarize", "--seed",
                                          "--keep-last", "--threads", "--quiet"};
    // --help wins over everything else on the line, even a missing required option.
    QTest::newRow("train with other options") << QStringList{"train", "--hidden", "5", "--help"} << QStringList{"usage: rbm train"};
    QTest::newRow("dream") << QStringList{"dream", "--help"}
                           << QStringList{"usage: rbm dream", "--model", "--from-test", "--from-image", "--from-noise",
                                          "--out", "--data", "--steps", "--every", "--beta", "--mean-field", "--seed",
                                          "--scale"};
    QTest::newRow("eval") << QStringList{"eval", "-h"}
                          << QStringList{"usage: rbm eval", "--model", "--data", "--exact", "--ais", "--reverse-ais",
                                         "--json", "--seed", "--threads"};
    QTest::newRow("info") << QStringList{"info", "--help"} << QStringList{"usage: rbm info", "CKPT"};
}

void TestCli::everyCommandAnswersHelp() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, mentions);
    const Result r = rbm(args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    for (const QString& m : mentions) QVERIFY2(r.out.contains(m), qPrintable(m + " missing from:\n" + r.out));
}

void TestCli::versionIsTheProjectVersion() {
    const Result r = rbm({"--version"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QString("rbm " RBM_VERSION " (RBM Studio)"));
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

void TestCli::trainsOnYourOwnData_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("summary");  // what `rbm train` says it found
    QTest::newRow("CSV with a label column") << "csv" << "2x2 pixels, 6 examples, 2 classes: 0 3, 1 3";
    QTest::newRow("folder of pictures, one per class") << "folder" << "28x28 pixels, 4 examples, 2 classes: o 2, x 2";
}

void TestCli::trainsOnYourOwnData() {
    QFETCH(QString, kind);
    QFETCH(QString, summary);
    QString data;
    if (kind == "csv") {
        data = dir_.filePath("own.csv");
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("label,p0,p1,p2,p3\n");
        for (int i = 0; i < 6; ++i) f.write(i % 2 ? "1,255,0,0,255\n" : "0,0,255,255,0\n");
    } else {
        data = dir_.filePath("own-pictures");
        for (const char* cls : {"o", "x"}) {
            QVERIFY(QDir().mkpath(data + "/" + cls));
            for (int i = 0; i < 2; ++i) {
                QImage img(16, 16, QImage::Format_Grayscale8);
                img.fill(255);
                for (int k = 2; k < 14; ++k) img.scanLine(k)[cls[0] == 'x' ? k : 8 + i] = 0;
                QVERIFY(img.save(QString("%1/%2/%3.png").arg(data, cls).arg(i)));
            }
        }
    }
    const QString out = dir_.filePath("own-run-" + kind);
    const Result r = rbm({"train", "--data", data, "--hidden", "4", "--epochs", "1", "--batch", "2", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(summary), qPrintable(r.err));
    QVERIFY(QFile::exists(out + "/latest.npz"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
