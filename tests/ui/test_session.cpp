// Session files in the studio, driven like a teacher and a student: save a session after some
// training and a drawing, open it in another window, train 50 batches twice and get the same
// weights in every bit (and the same weights core's Trainer gives); the dream comes back with
// its drawing, clamp mask and seed; a damaged session changes nothing.
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <fstream>

#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "dream/drawing_canvas.h"
#include "patience.h"
#include "rbm/npz.h"
#include "rbm/session_file.h"
#include "rbm/trainer.h"
#include "training/training_controller.h"
#include "views/controls_dock.h"
#include "window/main_window.h"
#include "window/session_documents.h"

using namespace studio;

namespace {

bool sameBits(const rbm::Matrix& a, const rbm::Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

bool sameModel(const rbm::Rbm& a, const rbm::Rbm& b) {
    return sameBits(a.W, b.W) && sameBits(a.visibleBias, b.visibleBias) && sameBits(a.hiddenBias, b.hiddenBias);
}

/// Small and quick; PCD + Adam so that chains and moments must travel too.
rbm::TrainingConfig tinyConfig() {
    rbm::TrainingConfig c;
    c.hidden = 16;
    c.batchSize = 20;
    c.epochs = 1000;
    c.seed = 4242;
    c.algorithm = rbm::Algorithm::PCD;
    c.persistentChains = 20;
    c.optimizer.kind = rbm::OptimizerKind::Adam;
    c.learningRateWeights = 0.01f;
    c.evalSubset = 100;
    return c;
}

}  // namespace

class TestSession : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> dir_;
    std::vector<std::unique_ptr<MainWindow>> windows_;

    MainWindow* makeWindow() {
        MainWindow::Options o;
        o.useSettings = false;
        o.interactive = false;
        o.runsDirectory = dir_->filePath(QStringLiteral("runs"));
        windows_.push_back(std::make_unique<MainWindow>(o));
        MainWindow* w = windows_.back().get();
        w->controlsDock()->setConfig(tinyConfig());
        w->controller()->setConfig(tinyConfig());
        w->controller()->setStartModel(std::nullopt);
        w->show();
        return w;
    }

    /// `n` single steps (Ctrl+Right), then Stop: the model Start would continue from.
    static bool trainBatches(MainWindow* w, int n, rbm::Checkpoint* out) {
        TrainingController* c = w->controller();
        for (int i = 0; i < n; ++i) c->step();  // the worker counts the steps asked for
        if (!QTest::qWaitFor([&] { return c->batchesDone() >= n; }, rbm::testing::patient(20000))) return false;
        if (c->batchesDone() != n) return false;
        c->stop();
        if (!c->startModel() || !c->startModel()->state) return false;
        *out = *c->startModel();
        return out->state->counters.totalBatches >= n;
    }

    /// A teacher's session: 10 batches trained, a drawing with its top half clamped, dream seed 77.
    QString teacherSession(rbm::Checkpoint* start = nullptr) {
        MainWindow* teacher = makeWindow();
        rbm::Checkpoint trained;
        if (!trainBatches(teacher, 10, &trained)) return {};
        if (start) *start = trained;
        DreamPanel* dream = teacher->panels().dream;
        std::vector<float> drawing(784, 0.0f);
        for (int r = 6; r < 22; ++r) drawing[std::size_t(r * 28 + 14)] = 1.0f;  // a "1"
        dream->canvas()->setImage(drawing, QStringLiteral("a one"));
        dream->canvas()->clampRows(0, 13);
        dream->findChild<QSpinBox*>(QStringLiteral("dreamSeed"))->setValue(77);
        const QString file = dir_->filePath(QStringLiteral("class.rbmsession"));
        if (!teacher->sessions()->saveSession(file)) return {};
        return file;
    }

private slots:
    void init() { dir_ = std::make_unique<QTemporaryDir>(); }
    void cleanup() {
        for (auto& w : windows_) w->close();
        windows_.clear();
        dir_.reset();
    }

    void sessionReplaysToIdenticalWeights() {
        rbm::Checkpoint start;
        const QString file = teacherSession(&start);
        QVERIFY(!file.isEmpty());

        // The student's machine: the same session, 50 batches, twice.
        MainWindow* student = makeWindow();
        rbm::Checkpoint first, second;
        QVERIFY2(student->sessions()->openSession(file), qPrintable(student->sessions()->lastError()));
        QVERIFY(student->controller()->startModel());
        QVERIFY(sameModel(student->controller()->startModel()->model, start.model));
        QCOMPARE(QString::fromStdString(rbm::toJson(student->controller()->config())), QString::fromStdString(rbm::toJson(tinyConfig())));
        QVERIFY(trainBatches(student, 50, &first));
        QVERIFY2(student->sessions()->openSession(file), qPrintable(student->sessions()->lastError()));
        QVERIFY(trainBatches(student, 50, &second));
        QCOMPARE(first.state->counters.totalBatches, std::int64_t(60));
        QVERIFY(sameModel(first.model, second.model));
        QVERIFY(!sameModel(first.model, start.model));  // it did train

        // ...and the same as core's trainer continuing the saved state for 50 batches.
        rbm::Trainer t(student->trainingData(), student->testData(), start.config, start.model, *start.state);
        for (int i = 0; i < 50; ++i) t.trainBatch();
        QVERIFY(sameModel(t.model(), first.model));
    }

    void sessionBringsBackTheDream() {
        const QString file = teacherSession();
        QVERIFY(!file.isEmpty());
        const std::vector<float> saved = windows_.front()->panels().dream->drawing();
        const std::vector<float> savedClamp = windows_.front()->panels().dream->clampMask();
        MainWindow* student = makeWindow();
        QVERIFY(student->sessions()->openSession(file));
        DreamPanel* dream = student->panels().dream;
        QVERIFY(dream->drawing() == saved);
        QVERIFY(dream->clampMask() == savedClamp);
        QCOMPARE(savedClamp.at(0), 1.0f);
        QCOMPARE(dream->engine()->seed(), std::uint64_t(77));
        QCOMPARE(dream->findChild<QSpinBox*>(QStringLiteral("dreamSeed"))->value(), 77);
        QVERIFY(dream->engine()->startImage() == saved);

        // The same dream: ten steps after opening, twice.
        auto dreamTenSteps = [&] {
            dream->pause();
            dream->engine()->reset();
            for (int i = 0; i < 10; ++i) dream->engine()->step();
            return dream->engine()->state().v;
        };
        const rbm::Matrix once = dreamTenSteps();
        QVERIFY(student->sessions()->openSession(file));
        QVERIFY(sameBits(dreamTenSteps(), once));
    }

    void damagedSessionChangesNothing_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("missing") << "missing";
        QTest::newRow("newer") << "newer";
    }

    void damagedSessionChangesNothing() {
        QFETCH(QString, kind);
        const QString good = teacherSession();
        QVERIFY(!good.isEmpty());
        const QString bad = dir_->filePath(QStringLiteral("bad.rbmsession"));
        if (kind == "truncated") {
            QFile::copy(good, bad);
            QFile f(bad);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() / 3));
        }
        if (kind == "newer") {
            std::vector<rbm::NpyArray> arrays = rbm::readNpz(good.toStdString());
            std::string j = arrays.front().toString();
            j.replace(j.find("\"version\": 1"), 12, "\"version\": 9");
            arrays.front() = rbm::NpyArray::fromString("session", j);
            rbm::writeNpz(bad.toStdString(), arrays);
        }
        MainWindow* w = windows_.front().get();
        const std::string configBefore = rbm::toJson(w->controller()->config());
        const auto dataBefore = w->trainingData();
        const rbm::Rbm modelBefore = w->controller()->startModel()->model;
        const std::vector<float> drawingBefore = w->panels().dream->drawing();
        QVERIFY(!w->sessions()->openSession(bad));
        const QString e = w->sessions()->lastError();
        QVERIFY2(e.contains(bad), qPrintable(e));
        if (kind == "newer") QVERIFY2(e.contains("newer RBM Studio"), qPrintable(e));
        QVERIFY(rbm::toJson(w->controller()->config()) == configBefore);
        QVERIFY(w->trainingData() == dataBefore);
        QVERIFY(sameModel(w->controller()->startModel()->model, modelBefore));
        QVERIFY(w->panels().dream->drawing() == drawingBefore);
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
