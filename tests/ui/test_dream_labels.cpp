// "Dream a K" (issue 11): a model with label units gets a class selector that holds the label
// units while the dream runs, and the readout is the model's own exact p(label|v) of the frame
// on screen, computed by core (rbm::labelPosterior). A model without label units gets the
// selector disabled with its reason. The model is built by hand so that what clamping must do
// is known: class k owns 78 pixels and 40 hidden units, which only label k can switch on.
#include <QCheckBox>
#include <QComboBox>
#include <QSlider>
#include <QTest>

#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "dream/dream_views.h"
#include "dream/label_controls.h"
#include "dream/tempering_controls.h"
#include "patience.h"
#include "rbm/label_units.h"
#include "test_dream_support.h"

using rbm::testing::patient;
using studio::DreamPanel;

namespace {

constexpr int kClasses = 10, kPixelsPerClass = 78, kHiddenPerClass = 40;

/// Pixels [78k, 78k + 78) belong to class k, hidden units [40k, 40k + 40) too. A class's hidden
/// units need its label (c = -10, U = +12), and then paint its pixels (b = -2, W = 0.1 x 40).
std::shared_ptr<const rbm::Rbm> labelModel() {
    auto m = std::make_shared<rbm::Rbm>(784, kClasses * kHiddenPerClass);
    m->W.setZero();
    m->visibleBias.setConstant(-2.0f);
    m->hiddenBias.setConstant(-10.0f);
    rbm::addLabelUnits(*m, kClasses);
    for (int k = 0; k < kClasses; ++k)
        for (int j = k * kHiddenPerClass; j < (k + 1) * kHiddenPerClass; ++j) {
            m->labelWeights(k, j) = 12.0f;
            for (int i = k * kPixelsPerClass; i < (k + 1) * kPixelsPerClass; ++i) m->W(i, j) = 0.1f;
        }
    m->imageRows = 28;
    m->imageCols = 28;
    return m;
}

/// Every pixel of class k's block inked.
std::vector<float> inkOf(int k) {
    std::vector<float> v(784, 0.0f);
    std::fill(v.begin() + k * kPixelsPerClass, v.begin() + (k + 1) * kPixelsPerClass, 1.0f);
    return v;
}

/// Core's exact p(y|v) of one chain of a frame, from the frame's own pixels.
std::vector<float> corePosterior(const rbm::Rbm& m, const studio::DreamFrame& f, int chain) {
    rbm::Matrix v(1, f.nVisible);
    for (int i = 0; i < f.nVisible; ++i) v(0, i) = static_cast<float>(f.visible(chain)[i]) / 255.0f;
    const Eigen::MatrixXd p = rbm::labelPosterior(m, v);
    std::vector<float> out(static_cast<std::size_t>(p.cols()));
    for (Eigen::Index k = 0; k < p.cols(); ++k) out[static_cast<std::size_t>(k)] = static_cast<float>(p(0, k));
    return out;
}

bool near(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size() || a.empty()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > 1e-5f) return false;
    return true;
}

/// Mean p(y = k | v) over every chain of the newest frame.
double meanPosterior(const studio::DreamEngine& e, int k) {
    const studio::DreamFrame& f = e.frames().newest();
    double sum = 0;
    for (int c = 0; c < f.chains; ++c) sum += static_cast<double>(f.labelProbabilities(c)[static_cast<std::size_t>(k)]);
    return sum / f.chains;
}

}  // namespace

class TestDreamLabels : public QObject {
    Q_OBJECT

private slots:
    void clampingTurnsTheDrawingIntoTheClass() {
        DreamPanel panel;
        const std::shared_ptr<const rbm::Rbm> model = labelModel();
        panel.setModel(model);
        panel.resize(1300, 820);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        studio::LabelControls* labels = panel.labelControls();
        QVERIFY(labels);
        QVERIFY(labels->isEnabled() && labels->selector()->isEnabled());
        QCOMPARE(labels->labelCount(), kClasses);
        QCOMPARE(labels->chosenClass(), -1);

        // A "3", free: the model keeps it a 3.
        QVERIFY(panel.setDrawing(inkOf(3)));
        studio::DreamEngine* engine = panel.engine();
        for (int i = 0; i < 20; ++i) engine->step();
        QVERIFY2(meanPosterior(*engine, 3) > 0.9, qPrintable(QString::number(meanPosterior(*engine, 3))));
        QVERIFY(meanPosterior(*engine, 8) < 0.05);
        const int freeFrames = static_cast<int>(engine->frames().size());

        // Dream an 8: the selector holds the labels at 8 and plays; the 3 becomes an 8.
        QVERIFY(labels->choose(8));
        QCOMPARE(engine->clampedLabel(), 8);
        QVERIFY(engine->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(engine->frames().size() > std::size_t(freeFrames + 10) && meanPosterior(*engine, 8) > 0.9,
                                 patient(5000));
        panel.pause();
        QCOMPARE(engine->frames().newest().clampedLabel, 8);

        // The readout is core's p(label|v) of the frame on screen, not of anything else.
        const studio::DreamFrame& shown = engine->frames().newest();
        const std::vector<float> expected = corePosterior(*model, shown, 0);
        QTRY_VERIFY(near(panel.readout()->probabilities(), expected));
        QVERIFY(near(panel.currentClassProbabilities(), expected));
        QVERIFY2(panel.readout()->verdictText().contains("p(label|v)") && panel.readout()->verdictText().contains("held at 8"),
                 qPrintable(panel.readout()->verdictText()));

        // Rewound to a frame of the free dream, the readout is that frame's p(label|v): a 3.
        panel.timeline()->setValue(5);
        const studio::DreamFrame& early = engine->frames().at(5);
        QCOMPARE(early.clampedLabel, -1);
        const std::vector<float> then = corePosterior(*model, early, 0);
        QVERIFY(then[3] > 0.9f);
        QTRY_VERIFY(near(panel.readout()->probabilities(), then));

        // Free again: the label units follow p(y|h), and the clamp is gone from the next frames.
        QVERIFY(labels->choose(-1));
        QCOMPARE(engine->clampedLabel(), -1);
        panel.pause();
        engine->step();
        QCOMPARE(engine->frames().newest().clampedLabel, -1);
    }

    void aModelWithoutLabelsSaysWhy() {
        DreamPanel panel;
        panel.setModel(labelModel());
        QVERIFY(panel.labelControls()->choose(4));
        panel.setModel(dreamtest::randomModel(784, 40, 3));
        studio::LabelControls* labels = panel.labelControls();
        QVERIFY(!labels->selector()->isEnabled());
        QCOMPARE(labels->chosenClass(), -1);
        QCOMPARE(panel.engine()->clampedLabel(), -1);
        QVERIFY2(labels->reasonText().contains("label units"), qPrintable(labels->reasonText()));
        QVERIFY(!labels->choose(4));
        panel.engine()->step();
        QCOMPARE(panel.engine()->frames().newest().nLabels, 0);
    }

    void temperingDreamsAClampedClass() {
        // The swaps weigh the label term and exchange the labels (core's exact tests in
        // test_parallel_tempering), so a label model dreams tempered; the clamp holds on every rung.
        DreamPanel panel;
        panel.setModel(dreamtest::randomModel(784, 40, 4));
        studio::TemperingControls* t = panel.temperingControls();
        t->toggle()->setChecked(true);
        QVERIFY(panel.engine()->temperingActive());
        panel.setModel(labelModel());
        studio::DreamEngine* engine = panel.engine();
        QVERIFY(engine->temperingActive());
        QVERIFY(panel.setDrawing(inkOf(3)));
        QVERIFY(panel.labelControls()->choose(8));
        panel.pause();
        for (int i = 0; i < 30; ++i) engine->step();
        QCOMPARE(engine->frames().newest().nLabels, kClasses);
        QCOMPARE(engine->frames().newest().clampedLabel, 8);
        QVERIFY2(meanPosterior(*engine, 8) > 0.9, qPrintable(QString::number(meanPosterior(*engine, 8))));
        t->showRates();
        QVERIFY2(t->ratesText().contains("swaps accepted"), qPrintable(t->ratesText()));
        const std::vector<double> rates = engine->swapRates();
        QVERIFY(!rates.empty());
        for (double r : rates) QVERIFY(r >= 0.0 && r <= 1.0);
    }
};

QTEST_MAIN(TestDreamLabels)
#include "test_dream_labels.moc"
