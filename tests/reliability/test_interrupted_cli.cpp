// The real `rbm train` interrupted as people interrupt it: Ctrl+C or SIGTERM mid-epoch saves
// a checkpoint that resumes, and SIGKILL at random moments (a crash, a power cut of the
// process) never leaves a run folder whose checkpoints do not load.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

#include <random>

#include "rbm/checkpoint.h"

namespace {

void put32(QByteArray& out, quint32 v) {
    for (int s = 24; s >= 0; s -= 8) out.append(char((v >> s) & 0xff));
}

/// 400 random 28x28 images with MNIST's file name.
bool writeData(const QString& dir) {
    QDir().mkpath(dir);
    QByteArray px;
    put32(px, 0x803);
    put32(px, 400);
    put32(px, 28);
    put32(px, 28);
    std::mt19937 gen(11);
    for (int i = 0; i < 400 * 784; ++i) px.append(char(gen() % 4 == 0 ? gen() & 0xff : 0));
    QFile f(dir + "/train-images-idx3-ubyte");
    return f.open(QIODevice::WriteOnly) && f.write(px) == px.size();
}

/// Waits until the process has written `text` to stderr (collected into `err`).
bool waitForStderr(QProcess& p, QByteArray& err, const QByteArray& text, int ms) {
    QElapsedTimer t;
    t.start();
    while (!err.contains(text) && t.elapsed() < ms) {
        p.waitForReadyRead(100);
        err += p.readAllStandardError();
        if (p.state() == QProcess::NotRunning) break;
    }
    return err.contains(text);
}

}  // namespace

class TestInterruptedCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void signalMidEpochSavesAResumableCheckpoint_data();
    void signalMidEpochSavesAResumableCheckpoint();
    void sigkillAtRandomMomentsLeavesLoadableCheckpoints();

private:
    QTemporaryDir tmp_;
    QString data_;
};

void TestInterruptedCli::initTestCase() {
    QVERIFY(tmp_.isValid());
    data_ = tmp_.filePath("data");
    QVERIFY(writeData(data_));
}

void TestInterruptedCli::signalMidEpochSavesAResumableCheckpoint_data() {
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT (Ctrl+C)") << int(SIGINT);
    QTest::newRow("SIGTERM (logout, kill)") << int(SIGTERM);
}

void TestInterruptedCli::signalMidEpochSavesAResumableCheckpoint() {
    QFETCH(int, signal);
    const QString run = tmp_.filePath(QString("signal-%1").arg(signal));
    QProcess p;
    // Batch 1: about 400 batches per epoch, so the signal lands mid-epoch.
    p.start(QStringLiteral(RBM_CLI_PATH), {"train", "--data", data_, "--hidden", "64", "--batch", "1", "--epochs",
                                           "1000", "--quiet", "--out", run});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    QVERIFY2(waitForStderr(p, err, "epoch   1", 60000), err.constData());
    QTest::qWait(50);
    ::kill(static_cast<pid_t>(p.processId()), signal);
    QVERIFY(p.waitForFinished(60000));
    err += p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);  // it handled the signal, it did not die of it
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains("interrupted at epoch") && err.contains("--resume"), err.constData());
    const rbm::Checkpoint c = rbm::loadCheckpoint((run + "/latest.npz").toStdString());
    QVERIFY(c.state.has_value());
    QVERIFY(c.state->counters.epoch >= 1);
    QVERIFY(c.model.isFinite());
    // epoch-0001.npz is untouched by the interrupted save, and the run resumes.
    QVERIFY(rbm::loadCheckpoint((run + "/epoch-0001.npz").toStdString()).state->counters.epoch == 1);
    QProcess resumed;
    const QString epochs = QString::number(c.state->counters.epoch + 1);
    resumed.start(QStringLiteral(RBM_CLI_PATH), {"train", "--data", data_, "--resume", run + "/latest.npz", "--batch",
                                                 "100", "--epochs", epochs, "--quiet", "--out", run + "-resumed"});
    QVERIFY(resumed.waitForFinished(120000));
    QVERIFY2(resumed.exitCode() == 0, resumed.readAllStandardError().constData());
    QVERIFY(QFile::exists(run + "-resumed/epoch-" + epochs.rightJustified(4, '0') + ".npz"));
}

void TestInterruptedCli::sigkillAtRandomMomentsLeavesLoadableCheckpoints() {
    const QString run = tmp_.filePath("killed");
    std::mt19937 gen(7);  // seeded kill moments
    std::uniform_int_distribution<int> delayMs(0, 400);
    int resumedRounds = 0;
    for (int round = 0; round < 12; ++round) {
        QStringList args{"train", "--data", data_, "--hidden", "32", "--batch", "20", "--epochs", "100000",
                         "--keep-last", "2", "--quiet", "--out", run};
        const bool resume = QFile::exists(run + "/latest.npz");
        if (resume) {
            args << "--resume" << run + "/latest.npz";
            ++resumedRounds;
        }
        QProcess p;
        p.start(QStringLiteral(RBM_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        if (round == 0) {
            // The first run gets as far as its initial checkpoint, so later rounds resume.
            QByteArray err;
            QVERIFY2(waitForStderr(p, err, "run folder:", 60000), err.constData());
        }
        QTest::qWait(delayMs(gen));
        p.kill();
        QVERIFY(p.waitForFinished(30000));
        for (const QString& f : QDir(run).entryList({"*.npz"}, QDir::Files)) {
            try {
                QVERIFY(rbm::loadCheckpoint((run + "/" + f).toStdString()).model.isFinite());
            } catch (const rbm::Error& e) {
                QFAIL(qPrintable(QString("round %1: %2 does not load: %3").arg(round).arg(f).arg(e.what())));
            }
        }
        if (resume) QVERIFY2(QFile::exists(run + "/latest.npz"), "a resumed run lost its latest.npz");
    }
    QCOMPARE(resumedRounds, 11);
    qInfo("12 kills of rbm train; newest epoch reached: %lld",
          static_cast<long long>(rbm::loadCheckpoint((run + "/latest.npz").toStdString()).state->counters.epoch));
}

QTEST_GUILESS_MAIN(TestInterruptedCli)
#include "test_interrupted_cli.moc"
