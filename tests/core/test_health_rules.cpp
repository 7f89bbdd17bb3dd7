// Hinton's checks (rbm/health_rules) on hand-made metric sequences: each light turns amber or
// red exactly when its rule says so, and not before; the presets the health panel offers.
// The panel's early-stopping signal is tested in tests/ui/test_health_panel.cpp.
#include <QtTest>
#include <cmath>
#include <limits>

#include "rbm/health_rules.h"
#include "rbm/presets.h"
#include "fixtures.h"

using namespace rbm;

Q_DECLARE_METATYPE(rbm::Light)

namespace {

EpochMetrics epoch(int e, double gap = 0, double mse = 0.05) { return testing::epochRow(e, gap, mse); }

Light lightOf(const HealthInput& in, const char* key) {
    const std::vector<HealthCheck> checks = evaluateHealth(in);
    const HealthCheck* c = findCheck(checks, key);
    return c ? c->light : Light::Unknown;
}

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

class TestHealthRules : public QObject {
    Q_OBJECT
private slots:
    void everyCheckAlwaysPresent();
    void updateRatio_data();
    void updateRatio();
    void overfittingGap_data();
    void overfittingGap();
    void hiddenUnits_data();
    void hiddenUnits();
    void divergence_data();
    void divergence();
    void weightGrowth_data();
    void weightGrowth();
    void notANumber_data();
    void notANumber();
    void presets();
};

void TestHealthRules::everyCheckAlwaysPresent() {
    const std::vector<HealthCheck> empty = evaluateHealth(HealthInput{});
    QStringList keys;
    for (const HealthCheck& c : empty) {
        keys << QString::fromStdString(c.key);
        QVERIFY2(!c.advice.empty(), c.key.c_str());
        if (c.key != "nan") QCOMPARE(c.light, Light::Unknown);  // nothing measured yet: grey, not green
    }
    QCOMPARE(keys, (QStringList{"ratio-weights", "ratio-visible", "ratio-hidden", "overfitting", "units", "divergence",
                                "weights", "nan"}));
}

void TestHealthRules::updateRatio_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("ratio");
    QTest::addColumn<Light>("expected");
    // Weights: green in [1e-4, 1e-2], amber to 5e-2 and down to 1e-6, red beyond.
    QTest::newRow("W 1e-3 (Hinton's healthy)") << "ratio-weights" << 1e-3 << Light::Green;
    QTest::newRow("W at the upper edge 1e-2") << "ratio-weights" << 1e-2 << Light::Green;
    QTest::newRow("W just above 1e-2") << "ratio-weights" << 1.1e-2 << Light::Amber;
    QTest::newRow("W 5e-2") << "ratio-weights" << 5e-2 << Light::Amber;
    QTest::newRow("W 6e-2") << "ratio-weights" << 6e-2 << Light::Red;
    QTest::newRow("W at the lower edge 1e-4") << "ratio-weights" << 1e-4 << Light::Green;
    QTest::newRow("W 5e-5 (slow)") << "ratio-weights" << 5e-5 << Light::Amber;
    QTest::newRow("W 1e-7 (stalled)") << "ratio-weights" << 1e-7 << Light::Red;
    QTest::newRow("W not finite") << "ratio-weights" << kInf << Light::Unknown;
    // Biases start at zero: large fractions are amber at most, never red.
    QTest::newRow("c 1e-3") << "ratio-hidden" << 1e-3 << Light::Green;
    QTest::newRow("c 0.5") << "ratio-hidden" << 0.5 << Light::Amber;
    QTest::newRow("c of zero biases (inf)") << "ratio-hidden" << kInf << Light::Unknown;
    QTest::newRow("b 5e-2") << "ratio-visible" << 5e-2 << Light::Green;
    QTest::newRow("b 6e-2") << "ratio-visible" << 6e-2 << Light::Amber;
}

void TestHealthRules::updateRatio() {
    QFETCH(QString, key);
    QFETCH(double, ratio);
    QFETCH(Light, expected);
    HealthInput live;
    live.liveRatioWeights = live.liveRatioVisible = live.liveRatioHidden = ratio;
    QCOMPARE(lightOf(live, key.toLatin1().constData()), expected);
    // The same ratio from the last epoch's metrics when no live snapshot has one.
    HealthInput fromEpoch;
    EpochMetrics m = epoch(1);
    m.ratioWeights = m.ratioVisibleBias = m.ratioHiddenBias = ratio;
    fromEpoch.epochs = {m};
    QCOMPARE(lightOf(fromEpoch, key.toLatin1().constData()), expected);
}

void TestHealthRules::overfittingGap_data() {
    QTest::addColumn<QVector<double>>("gaps");  // held-out minus training free energy per epoch
    QTest::addColumn<Light>("expected");
    // Amber: gap above 5 nats or +1.5 over the last 3 epochs; red: above 10 or +4.
    QTest::newRow("two epochs: not judged yet") << QVector<double>{-2, 5} << Light::Unknown;
    QTest::newRow("flat") << QVector<double>{-2, -2, -1.5} << Light::Green;
    QTest::newRow("healthy CD-10 (slow rise)") << QVector<double>{-2.6, -2, -0.9, -0.4, 0.3, 0.9, 1.4, 1.9, 2.3, 2.6, 3.0, 3.2}
                                               << Light::Green;
    QTest::newRow("grew 1.4 in 3 epochs") << QVector<double>{0, 0, 0, 0.5, 1.4} << Light::Green;
    QTest::newRow("grew 1.6 in 3 epochs") << QVector<double>{0, 0, 0, 0.5, 1.6} << Light::Amber;
    QTest::newRow("grew 1.6 over 4 epochs") << QVector<double>{0, 0.4, 0.8, 1.2, 1.6} << Light::Green;
    QTest::newRow("gap 5.1") << QVector<double>{5, 5.1, 5.1} << Light::Amber;
    QTest::newRow("gap 4.9") << QVector<double>{4.9, 4.9, 4.9} << Light::Green;
    QTest::newRow("grew 4.5 in 3 epochs") << QVector<double>{0, 1, 3, 4.5} << Light::Red;
    QTest::newRow("gap 10.5") << QVector<double>{10.4, 10.5, 10.5} << Light::Red;
    QTest::newRow("large but shrinking") << QVector<double>{9, 7, 6, 4} << Light::Green;
}

void TestHealthRules::overfittingGap() {
    QFETCH(QVector<double>, gaps);
    QFETCH(Light, expected);
    HealthInput in;
    for (int i = 0; i < gaps.size(); ++i) in.epochs.push_back(epoch(i + 1, gaps[i]));
    QCOMPARE(lightOf(in, "overfitting"), expected);
}

void TestHealthRules::hiddenUnits_data() {
    QTest::addColumn<int>("dead");
    QTest::addColumn<int>("saturated");
    QTest::addColumn<Light>("expected");  // of 100 hidden units: amber from 5%, red from 25%
    QTest::newRow("none") << 0 << 0 << Light::Green;
    QTest::newRow("4%") << 3 << 1 << Light::Green;
    QTest::newRow("5%") << 4 << 1 << Light::Amber;
    QTest::newRow("24%") << 20 << 4 << Light::Amber;
    QTest::newRow("25%") << 20 << 5 << Light::Red;
    QTest::newRow("all saturated") << 0 << 100 << Light::Red;
}

void TestHealthRules::hiddenUnits() {
    QFETCH(int, dead);
    QFETCH(int, saturated);
    QFETCH(Light, expected);
    HealthInput in;
    in.nHidden = 100;
    QCOMPARE(lightOf(in, "units"), Light::Unknown);  // before the first epoch
    EpochMetrics m = epoch(1);
    m.deadUnits = dead;
    m.saturatedUnits = saturated;
    in.epochs = {m};
    QCOMPARE(lightOf(in, "units"), expected);
}

void TestHealthRules::divergence_data() {
    // Held-out estimates (epoch 2, 4, 6 ...), their standard errors, which are reliable, and the
    // reconstruction error of the training subset at those epochs.
    QTest::addColumn<QVector<double>>("heldOut");
    QTest::addColumn<QVector<double>>("stdErr");
    QTest::addColumn<QVector<bool>>("reliable");
    QTest::addColumn<QVector<double>>("mse");
    QTest::addColumn<Light>("expected");
    QTest::addColumn<bool>("falling");
    QTest::newRow("one estimate") << QVector<double>{-120} << QVector<double>{0.3} << QVector<bool>{true}
                                  << QVector<double>{0.05} << Light::Unknown << false;
    QTest::newRow("improving") << QVector<double>{-130, -110} << QVector<double>{0.3, 0.3} << QVector<bool>{true, true}
                               << QVector<double>{0.05, 0.04} << Light::Green << false;
    QTest::newRow("fell 0.8 nat: noise") << QVector<double>{-110, -110.8} << QVector<double>{0.2, 0.2}
                                         << QVector<bool>{true, true} << QVector<double>{0.05, 0.04} << Light::Green
                                         << false;
    QTest::newRow("fell 3 nats within 2 s.e.") << QVector<double>{-110, -113} << QVector<double>{2, 2}
                                               << QVector<bool>{true, true} << QVector<double>{0.05, 0.04}
                                               << Light::Green << false;
    QTest::newRow("fell 5 nats, recon improved: CD diverges")
        << QVector<double>{-110, -115} << QVector<double>{0.3, 0.3} << QVector<bool>{true, true}
        << QVector<double>{0.05, 0.04} << Light::Red << true;
    QTest::newRow("fell 5 nats, recon worse too")
        << QVector<double>{-110, -115} << QVector<double>{0.3, 0.3} << QVector<bool>{true, true}
        << QVector<double>{0.04, 0.05} << Light::Amber << true;
    QTest::newRow("peak then fall") << QVector<double>{-130, -100, -105} << QVector<double>{0.3, 0.3, 0.3}
                                    << QVector<bool>{true, true, true} << QVector<double>{0.06, 0.05, 0.04}
                                    << Light::Red << true;
    QTest::newRow("unreliable fall ignored") << QVector<double>{-110, -100, -140} << QVector<double>{0.3, 0.3, 0.3}
                                             << QVector<bool>{true, true, false} << QVector<double>{0.06, 0.05, 0.04}
                                             << Light::Green << false;
    QTest::newRow("only one reliable") << QVector<double>{-110, -140} << QVector<double>{0.3, 0.3}
                                       << QVector<bool>{true, false} << QVector<double>{0.05, 0.04}
                                       << Light::Unknown << false;
}

void TestHealthRules::divergence() {
    QFETCH(QVector<double>, heldOut);
    QFETCH(QVector<double>, stdErr);
    QFETCH(QVector<bool>, reliable);
    QFETCH(QVector<double>, mse);
    QFETCH(Light, expected);
    QFETCH(bool, falling);
    HealthInput in;
    for (int i = 0; i < heldOut.size(); ++i) {
        const int e = 2 * (i + 1);
        in.likelihood.push_back({double(e), heldOut[i], stdErr[i], reliable[i]});
        in.epochs.push_back(epoch(e - 1, 0, mse[i]));
        in.epochs.push_back(epoch(e, 0, mse[i]));
    }
    QCOMPARE(lightOf(in, "divergence"), expected);
    QCOMPARE(likelihoodFalling(in.likelihood), falling);
    // The best estimate the rules (and the estimator's message) compare with: reliable, highest.
    const LikelihoodSample* best = bestLikelihood(in.likelihood);
    QCOMPARE(best != nullptr, reliable.contains(true));
    for (const LikelihoodSample& s : in.likelihood)
        if (s.reliable) QVERIFY(best && best->reliable && s.heldOut <= best->heldOut);
}

void TestHealthRules::weightGrowth_data() {
    QTest::addColumn<QVector<double>>("epochs");
    QTest::addColumn<QVector<double>>("rms");
    QTest::addColumn<Light>("expected");
    QTest::newRow("fast early growth is expected") << QVector<double>{1, 2, 3} << QVector<double>{0.01, 0.05, 0.1}
                                                   << Light::Unknown;
    QTest::newRow("slow growth") << QVector<double>{11, 12} << QVector<double>{0.2, 0.22} << Light::Green;
    QTest::newRow("16% per epoch") << QVector<double>{11, 12} << QVector<double>{0.2, 0.232} << Light::Amber;
    QTest::newRow("40% per epoch") << QVector<double>{11, 12} << QVector<double>{0.2, 0.28} << Light::Red;
    QTest::newRow("40% over two epochs") << QVector<double>{10, 12} << QVector<double>{0.2, 0.28} << Light::Amber;
    QTest::newRow("large RMS") << QVector<double>{11, 12} << QVector<double>{0.6, 0.6} << Light::Amber;
    QTest::newRow("huge RMS") << QVector<double>{11, 12} << QVector<double>{1.2, 1.2} << Light::Red;
    QTest::newRow("huge RMS early") << QVector<double>{3} << QVector<double>{1.5} << Light::Red;
}

void TestHealthRules::weightGrowth() {
    QFETCH(QVector<double>, epochs);
    QFETCH(QVector<double>, rms);
    QFETCH(Light, expected);
    HealthInput in;
    for (int i = 0; i < epochs.size(); ++i) in.weights.push_back({epochs[i], rms[i]});
    QCOMPARE(lightOf(in, "weights"), expected);
}

void TestHealthRules::notANumber_data() {
    QTest::addColumn<bool>("modelFinite");
    QTest::addColumn<double>("mse");
    QTest::addColumn<Light>("expected");
    QTest::newRow("finite") << true << 0.05 << Light::Green;
    QTest::newRow("NaN in the model") << false << 0.05 << Light::Red;
    QTest::newRow("NaN in the metrics") << true << kNaN << Light::Red;
    QTest::newRow("Inf in the metrics") << true << kInf << Light::Red;
}

void TestHealthRules::notANumber() {
    QFETCH(bool, modelFinite);
    QFETCH(double, mse);
    QFETCH(Light, expected);
    HealthInput in;
    in.modelFinite = modelFinite;
    in.epochs = {epoch(1, 0, mse)};
    QCOMPARE(lightOf(in, "nan"), expected);
    QCOMPARE(worstLight(evaluateHealth(in)) == Light::Red, expected == Light::Red);
}

void TestHealthRules::presets() {
    const std::vector<rbm::TrainingPreset>& all = rbm::trainingPresets();
    QCOMPARE(int(all.size()), 4);
    QCOMPARE(QString::fromStdString(all[0].name), QStringLiteral("Classroom (fast)"));
    QCOMPARE(QString::fromStdString(all[1].name), QStringLiteral("Default"));
    QCOMPARE(QString::fromStdString(all[2].name), QStringLiteral("Best quality"));
    QCOMPARE(QString::fromStdString(all[3].name), QStringLiteral("Dreams"));
    for (const rbm::TrainingPreset& p : all) {
        p.config.validate();  // throws on a bad preset
        QCOMPARE(rbm::matchingPreset(p.config), p.name);
        QCOMPARE(&rbm::trainingPreset(p.name), &p);
        QVERIFY(!p.summary.empty());
        QVERIFY(!p.purpose.empty());
        QVERIFY(!p.measured.empty());
        // What the likelihood is measured on.
        QCOMPARE(p.config.binarization, rbm::Binarization::Threshold);
    }
    // The measured settings of the README tables: Default -98 nats after 20 epochs; Best quality
    // the same CD-10 centred, at twice the rate and 10x the weight decay, -88.6 after 40.
    for (const char* name : {"Default", "Best quality"}) {
        const rbm::TrainingConfig& c = rbm::trainingPreset(name).config;
        QCOMPARE(c.hidden, 500);
        QCOMPARE(c.algorithm, rbm::Algorithm::CD);
        QCOMPARE(c.k, 10);
        QCOMPARE(c.batchSize, 100);
        QCOMPARE(c.lrSchedule.kind, rbm::LrScheduleKind::Constant);
    }
    const rbm::TrainingConfig& def = rbm::trainingPreset("Default").config;
    QCOMPARE(def.learningRateWeights, 0.005f);
    QCOMPARE(def.weightDecay, 1e-4f);
    QVERIFY(!def.centering);
    const rbm::TrainingConfig& best = rbm::trainingPreset("best QUALITY").config;
    QCOMPARE(best.epochs, 40);
    QCOMPARE(best.learningRateWeights, 0.01f);
    QCOMPARE(best.learningRateBiases, 0.01f);
    QCOMPARE(best.weightDecay, 1e-3f);
    QVERIFY(best.centering);
    // The measured Dreams recipe (bench/DREAMS.md): PCD-1, centred, the rate stepped down three times.
    const rbm::TrainingConfig& dreams = rbm::trainingPreset("dreams").config;
    QCOMPARE(dreams.algorithm, rbm::Algorithm::PCD);
    QVERIFY(dreams.centering);
    QCOMPARE(dreams.lrSchedule.kind, rbm::LrScheduleKind::Steps);
    QCOMPARE(QString::fromStdString(rbm::toString(dreams.lrSchedule.steps)), QStringLiteral("20:0.1,30:0.05,40:0.02"));
    QCOMPARE(dreams.epochs, 50);
    QCOMPARE(QString::fromStdString(rbm::trainingPreset("dreams").purpose), QStringLiteral("dreams"));
    QCOMPARE(rbm::defaultPresetConfig().epochs, 20);
    // Applying keeps the seed and evaluation settings, and the result matches the preset.
    rbm::TrainingConfig custom;
    custom.seed = 77;
    custom.threads = 2;
    custom.evalSubset = 300;
    custom.hidden = 33;
    QVERIFY(rbm::matchingPreset(custom).empty());
    const rbm::TrainingConfig applied = rbm::applyPreset(custom, rbm::trainingPreset("Classroom (fast)"));
    QCOMPARE(applied.seed, std::uint64_t(77));
    QCOMPARE(applied.threads, 2);
    QCOMPARE(applied.evalSubset, 300);
    QCOMPARE(rbm::matchingPreset(applied), std::string("Classroom (fast)"));
    QVERIFY_THROWS_EXCEPTION(rbm::Error, rbm::trainingPreset("Turbo"));
}

QTEST_MAIN(TestHealthRules)
#include "test_health_rules.moc"
