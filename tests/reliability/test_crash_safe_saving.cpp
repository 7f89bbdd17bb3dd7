// Nothing saved is ever lost: a process saving checkpoints is killed with SIGKILL at random
// moments, and saves into a full or read-only location fail with a clear error while the
// previous checkpoint stays loadable.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <random>

#include "error_of.h"
#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"

namespace {

using rbm::testing::errorOf;

/// A small checkpoint whose parameters all equal `tag` (nV x nH).
rbm::Checkpoint tagged(float tag, int nV = 16, int nH = 4) {
    rbm::Checkpoint c;
    c.model = rbm::Rbm(nV, nH);
    c.model.W.setConstant(tag);
    c.model.visibleBias.setConstant(tag);
    c.model.hiddenBias.setConstant(tag);
    c.config.hidden = nH;
    return c;
}

float tagOf(const std::string& path) { return rbm::loadCheckpoint(path).model.W(0, 0); }

/// The epoch a run-folder file name stands for: epoch-0012.npz -> 12, initial.npz -> 0.
std::int64_t epochOfName(const QString& name) {
    if (name == "initial.npz") return 0;
    return name.mid(6, name.size() - 10).toLongLong();
}

/// A tmpfs of `size` mounted on `dir`, unmounted on destruction; ok() is false where this
/// process may not mount (not root, or no CAP_SYS_ADMIN in a container).
class TmpfsMount {
public:
    TmpfsMount(const QString& dir, const char* options) : dir_(dir.toStdString()) {
        QDir().mkpath(dir);
        ok_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options) == 0;
    }
    ~TmpfsMount() {
        if (ok_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    bool ok() const { return ok_; }
    bool remountReadOnly() {
        return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }

private:
    std::string dir_;
    bool ok_ = false;
};

QStringList leftovers(const QString& dir) {
    return QDir(dir).entryList({"*.tmp-*"}, QDir::Files);
}

}  // namespace

class TestCrashSafeSaving : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }
    void sigkillDuringSavesLosesNothing();
    void fullLocationKeepsThePreviousCheckpoint_data();
    void fullLocationKeepsThePreviousCheckpoint();
    void readOnlyLocationKeepsThePreviousCheckpoint_data();
    void readOnlyLocationKeepsThePreviousCheckpoint();
    void runFolderUnderAFileIsRefusedClearly();

private:
    QTemporaryDir tmp_;
};

void TestCrashSafeSaving::sigkillDuringSavesLosesNothing() {
    const QString run = tmp_.filePath("killed-run");
    std::mt19937 gen(20261127);  // seeded: the same kill moments on every run
    std::uniform_int_distribution<int> delayMs(0, 200);
    std::int64_t savedSoFar = -1;  // newest epoch the writer reported as saved, over all rounds
    int killedWhileWriting = 0;
    for (int round = 0; round < 30; ++round) {
        QProcess writer;
        writer.start(QStringLiteral(RBM_CHECKPOINT_WRITER), {run, "3"});  // keep the last 3 epochs
        QVERIFY(writer.waitForStarted(10000));
        QThread::msleep(static_cast<unsigned long>(delayMs(gen)));
        writer.kill();  // SIGKILL
        QVERIFY(writer.waitForFinished(10000));
        QVERIFY2(writer.exitStatus() == QProcess::CrashExit,
                 qPrintable("the writer ended by itself: " + QString::fromUtf8(writer.readAllStandardError())));
        const QStringList lines = QString::fromUtf8(writer.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        for (const QString& l : lines) {
            const QStringList w = l.split(' ');
            if (w.size() == 2 && (w[0] == "saved" || w[0] == "ready")) savedSoFar = std::max<std::int64_t>(savedSoFar, w[1].toLongLong());
        }
        if (!lines.isEmpty()) ++killedWhileWriting;

        // Every checkpoint file that exists loads, and holds what its name says.
        const QStringList files = QDir(run).entryList({"*.npz"}, QDir::Files, QDir::Name);
        for (const QString& f : files) {
            const std::string path = (run + "/" + f).toStdString();
            rbm::Checkpoint c;
            const std::string err = errorOf([&] { c = rbm::loadCheckpoint(path); });
            QVERIFY2(err.empty(), qPrintable(QString("round %1: %2").arg(round).arg(QString::fromStdString(err))));
            QVERIFY(c.state.has_value());
            const std::int64_t epoch = c.state->counters.epoch;
            if (f != "latest.npz") QCOMPARE(epoch, epochOfName(f));
            QCOMPARE(c.model.W(0, 0), static_cast<float>(epoch));  // content matches the counters
            QCOMPARE(c.model.hiddenBias(c.model.nHidden() - 1), static_cast<float>(epoch));
        }
        // Once anything was saved, latest.npz loads and is at least as new as the last
        // epoch the writer reported saved: no completed save is ever lost.
        if (savedSoFar >= 0) {
            QVERIFY2(files.contains("latest.npz"), qPrintable(QString("round %1: no latest.npz").arg(round)));
            const std::int64_t latest = rbm::loadCheckpoint((run + "/latest.npz").toStdString()).state->counters.epoch;
            QVERIFY2(latest >= savedSoFar, qPrintable(QString("round %1: latest.npz is epoch %2 but epoch %3 was saved")
                                                          .arg(round).arg(latest).arg(savedSoFar)));
            // The run list sees a loadable newest checkpoint, and nothing half-written.
            const std::vector<rbm::RunEntry> entries = rbm::RunFolder::list(run.toStdString());
            QVERIFY(!entries.empty());
            QVERIFY(entries.back().epoch >= savedSoFar);
            for (const rbm::RunEntry& e : entries) QVERIFY(QString::fromStdString(e.path).endsWith(".npz"));
        }
        // metrics.csv: every line is whole (16 columns), even if the kill came mid-append.
        QFile csv(run + "/metrics.csv");
        if (csv.open(QIODevice::ReadOnly)) {
            const QByteArray all = csv.readAll();
            if (!all.isEmpty()) QVERIFY2(all.endsWith('\n'), "metrics.csv ends in a partial line");
            for (const QByteArray& line : all.split('\n'))
                if (!line.isEmpty()) QCOMPARE(line.count(',') + 1, 16);
        }
    }
    QVERIFY2(savedSoFar >= 2, qPrintable(QString("only %1 epochs saved in 30 rounds: the kills came too early to test anything")
                                             .arg(savedSoFar)));
    // Temporary files of interrupted saves (named *.tmp-PID-N, never *.npz, so no list or
    // loader picks them up) are removed when the run folder is opened again.
    const qsizetype left = leftovers(run).size();
    rbm::RunFolder reopened(run.toStdString());
    QVERIFY2(leftovers(run).isEmpty(), qPrintable(leftovers(run).join(", ")));
    qInfo("30 kills: %d while running, newest saved epoch %lld, %lld temporary files left by the last kill",
          killedWhileWriting, static_cast<long long>(savedSoFar), static_cast<long long>(left));
}

void TestCrashSafeSaving::fullLocationKeepsThePreviousCheckpoint_data() {
    QTest::addColumn<QString>("how");
    QTest::newRow("file size limit (EFBIG)") << "rlimit";
    QTest::newRow("full tmpfs (ENOSPC)") << "tmpfs";
}

void TestCrashSafeSaving::fullLocationKeepsThePreviousCheckpoint() {
    QFETCH(QString, how);
    const QString dir = tmp_.filePath("full-" + how);
    std::unique_ptr<TmpfsMount> mount;
    if (how == "tmpfs") {
        mount = std::make_unique<TmpfsMount>(dir, "size=64k");
        if (!mount->ok()) QSKIP("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)");
    }
    QDir().mkpath(dir);
    rbm::RunFolder run(dir.toStdString());
    run.saveCheckpoint(tagged(1.0f), 1);
    const std::string latest = (dir + "/latest.npz").toStdString();
    QCOMPARE(tagOf(latest), 1.0f);

    // A checkpoint far larger than the space left (784 x 256 floats = 800 kB).
    const rbm::Checkpoint big = tagged(2.0f, 784, 256);
    std::string err;
    if (how == "rlimit") {
        rlimit saved{}, lim{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        lim = saved;
        lim.rlim_cur = 64 * 1024;
        void (*previous)(int) = signal(SIGXFSZ, SIG_IGN);
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &lim), 0);
        err = errorOf([&] { run.saveCheckpoint(big, 2); });
        setrlimit(RLIMIT_FSIZE, &saved);
        signal(SIGXFSZ, previous);
        QVERIFY2(err.find("too large") != std::string::npos, err.c_str());  // strerror(EFBIG)
    } else {
        err = errorOf([&] { run.saveCheckpoint(big, 2); });
        QVERIFY2(err.find("No space left") != std::string::npos, err.c_str());  // strerror(ENOSPC)
    }
    // A clear sentence naming the file, and the previous checkpoint untouched.
    QVERIFY2(err.find("epoch-0002.npz") != std::string::npos, err.c_str());
    QCOMPARE(tagOf(latest), 1.0f);
    QCOMPARE(tagOf((dir + "/epoch-0001.npz").toStdString()), 1.0f);
    QVERIFY(!QFile::exists(dir + "/epoch-0002.npz"));
    QVERIFY2(leftovers(dir).isEmpty(), qPrintable(leftovers(dir).join(", ")));
    // A save that fits still works afterwards (nothing is wedged).
    run.saveCheckpoint(tagged(3.0f), 3);
    QCOMPARE(tagOf(latest), 3.0f);
}

void TestCrashSafeSaving::readOnlyLocationKeepsThePreviousCheckpoint_data() {
    QTest::addColumn<QString>("how");
    QTest::newRow("read-only file system (EROFS)") << "remount";
    QTest::newRow("folder without write permission (EACCES)") << "chmod";
}

void TestCrashSafeSaving::readOnlyLocationKeepsThePreviousCheckpoint() {
    QFETCH(QString, how);
    const QString dir = tmp_.filePath("ro-" + how);
    std::unique_ptr<TmpfsMount> mount;
    if (how == "remount") {
        mount = std::make_unique<TmpfsMount>(dir, "size=4m");
        if (!mount->ok()) QSKIP("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)");
    } else if (::geteuid() == 0) {
        QSKIP("root ignores write permissions (the read-only mount row covers this as root)");
    }
    QDir().mkpath(dir);
    rbm::RunFolder run(dir.toStdString());
    run.saveCheckpoint(tagged(1.0f), 1);
    if (how == "remount") {
        QVERIFY(mount->remountReadOnly());
    } else {
        QVERIFY(::chmod(dir.toLocal8Bit().constData(), 0555) == 0);
    }
    const std::string err = errorOf([&] { run.saveCheckpoint(tagged(2.0f), 2); });
    if (how == "chmod") ::chmod(dir.toLocal8Bit().constData(), 0755);
    QVERIFY2(err.find(how == "remount" ? "Read-only file system" : "Permission denied") != std::string::npos, err.c_str());
    QVERIFY2(err.find("epoch-0002.npz") != std::string::npos, err.c_str());
    QCOMPARE(tagOf((dir + "/latest.npz").toStdString()), 1.0f);
    const std::string cfgErr = errorOf([&] { run.writeConfig(rbm::TrainingConfig{}); });
    if (how == "remount") QVERIFY2(cfgErr.find("config.json") != std::string::npos, cfgErr.c_str());
}

void TestCrashSafeSaving::runFolderUnderAFileIsRefusedClearly() {
    // Root ignores permissions, but nobody can create a folder inside a regular file.
    const QString file = tmp_.filePath("a-file");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();
    const std::string err = errorOf([&] { rbm::RunFolder((file + "/run").toStdString()); });
    QVERIFY2(err.find("a-file/run") != std::string::npos && err.find("Not a directory") != std::string::npos, err.c_str());
    const std::string saveErr = errorOf([&] { rbm::saveCheckpoint((file + "/x.npz").toStdString(), tagged(1.0f)); });
    QVERIFY2(saveErr.find("x.npz") != std::string::npos && saveErr.find("Not a directory") != std::string::npos,
             saveErr.c_str());
    QCOMPARE(QFile(file).size(), qint64(1));  // the file in the way is untouched
}

QTEST_GUILESS_MAIN(TestCrashSafeSaving)
#include "test_crash_safe_saving.moc"
