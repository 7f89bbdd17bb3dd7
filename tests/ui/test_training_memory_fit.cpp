// Issue 13: Start (and the preview of a new model) with a configuration whose weights would not
// fit is refused with a sentence naming the shape and the bytes, before anything is allocated,
// instead of std::bad_alloc or the OOM killer. The arithmetic is core's (rbm::whyTrainingDoesNotFit,
// tests/core/test_memory_limits.cpp); this checks the controller asks it and says so.
#include <QSignalSpy>
#include <QtTest>

#include "rbm/memory_limits.h"
#include "training/training_controller.h"

using namespace studio;

namespace {

/// `count` blank images of `side` x `side` (one 2048 x 2048 image is 4 MB).
std::shared_ptr<const rbm::Dataset> blank(std::size_t count, int side) {
    auto d = std::make_shared<rbm::Dataset>();
    d->name = "blank";
    d->rows = d->cols = side;
    d->count = count;
    d->pixels.assign(count * std::size_t(side) * std::size_t(side), 0);
    return d;
}

}  // namespace

class TestTrainingMemoryFit : public QObject {
    Q_OBJECT
private slots:
    void startIsRefusedNamingTheShape() {
        TrainingController c;
        c.setData(blank(1, 2048), blank(0, 2048));
        rbm::TrainingConfig config;
        config.hidden = 500;  // 500 x 4,194,304 floats: 8.3 GB, over the 2 GiB per array
        c.setConfig(config);
        QSignalSpy errors(&c, &TrainingController::errorOccurred);
        c.start();
        QCOMPARE(errors.count(), 1);
        const QString message = errors.takeFirst().at(0).toString();
        QVERIFY2(message.contains("Cannot train on blank (1 images of 2048x2048)"), qPrintable(message));
        QVERIFY2(message.contains("500 hidden x 4,194,304 pixels needs 8.3 GB for its weights alone"), qPrintable(message));
        QCOMPARE(c.state(), TrainingController::State::Idle);
        QVERIFY(!c.isActive());
        QCOMPARE(c.whyDoesNotFit(), message);

        // The preview of a new model of that size is refused the same way, not built.
        QVERIFY(!c.previewSnapshot());
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.takeFirst().at(0).toString(), message);
    }

    void aSizeThatFitsIsNotRefused() {
        TrainingController c;
        c.setData(blank(2, 64), blank(1, 64));
        rbm::TrainingConfig config;
        config.hidden = 8;
        config.evalSubset = 2;
        c.setConfig(config);
        QVERIFY2(c.whyDoesNotFit().isEmpty(), qPrintable(c.whyDoesNotFit()));
        QSignalSpy errors(&c, &TrainingController::errorOccurred);
        QVERIFY(c.previewSnapshot());
        QCOMPARE(errors.count(), 0);
        // The same images with as many hidden units as the 2 GiB ceiling allows plus one: refused.
        config.hidden = int(rbm::kMaxArrayBytes / 4 / (64 * 64)) + 1;
        c.setConfig(config);
        QVERIFY(c.whyDoesNotFit().contains("for its weights alone"));
    }
};

QTEST_MAIN(TestTrainingMemoryFit)
#include "test_training_memory_fit.moc"
