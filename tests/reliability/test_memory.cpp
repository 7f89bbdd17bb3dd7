// Training for many epochs does not grow memory: 30 epochs with a checkpoint, a metrics row
// and an evaluation after each, as the app does; resident memory is reported per epoch and
// must be flat once the workspaces exist.
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>

#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"
#include "rbm/training_session.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RBM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RBM_SANITIZED 1
#endif
#endif

namespace {

double residentMb() {
    long pages = 0, resident = 0;
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
    return double(resident) * double(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double peakMb() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

std::shared_ptr<const rbm::Dataset> synthetic(std::size_t count) {
    auto d = std::make_shared<rbm::Dataset>();
    d->name = "synthetic";
    d->rows = d->cols = 28;
    d->count = count;
    d->pixels.resize(count * 784);
    std::mt19937 gen(5);
    for (std::uint8_t& p : d->pixels) p = gen() % 3 == 0 ? std::uint8_t(gen() & 0xff) : 0;
    return d;
}

}  // namespace

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    void manyEpochsDoNotGrowMemory_data();
    void manyEpochsDoNotGrowMemory();
};

void TestMemory::manyEpochsDoNotGrowMemory_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("optimizer");
    QTest::newRow("CD-1, momentum") << int(rbm::Algorithm::CD) << int(rbm::OptimizerKind::Momentum);
    QTest::newRow("PCD-1, Adam") << int(rbm::Algorithm::PCD) << int(rbm::OptimizerKind::Adam);
}

void TestMemory::manyEpochsDoNotGrowMemory() {
    QFETCH(int, algorithm);
    QFETCH(int, optimizer);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    rbm::TrainingConfig c;
    c.hidden = 64;
    c.batchSize = 50;
    c.epochs = 30;
    c.evalSubset = 300;
    c.algorithm = rbm::Algorithm(algorithm);
    c.optimizer.kind = rbm::OptimizerKind(optimizer);
    rbm::TrainingSession s(synthetic(1000), synthetic(200), c);
    s.openRunFolder(tmp.filePath("run").toStdString(), 2);  // saves checkpoints and metrics rows
    std::vector<double> rss;
    rbm::TrainingSession::Callbacks cb;
    cb.onEpoch = [&](const rbm::EpochMetrics&) {
        (void)rbm::RunFolder::list(s.runFolder()->dir());  // the checkpoints dock refreshes its list
        rss.push_back(residentMb());
        return true;
    };
    QVERIFY(s.run(cb));
    QCOMPARE(rss.size(), std::size_t(30));
    std::string line;
    for (std::size_t e = 0; e < rss.size(); ++e) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%zu:%.1f", e ? " " : "", e + 1, rss[e]);
        line += buf;
    }
    qInfo("resident MB after each epoch: %s", line.c_str());
    qInfo("peak resident %.1f MB; epoch 5 -> 30: %+.2f MB", peakMb(), rss[29] - rss[4]);
#ifdef RBM_SANITIZED
    QSKIP("a sanitizer's quarantine holds freed memory: growth is only measured in normal builds");
#else
    QVERIFY2(rss[29] - rss[4] < 3.0, qPrintable(QString("memory grew by %1 MB from epoch 5 to 30").arg(rss[29] - rss[4])));
#endif
}

QTEST_GUILESS_MAIN(TestMemory)
#include "test_memory.moc"
