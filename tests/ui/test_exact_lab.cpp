// The Exact lab view: the numbers it shows are core's exact ones, its bars each sum to 1, and
// it says why it shows nothing for a model too large to enumerate.
#include <QtTest>

#include <cmath>
#include <memory>

#include "lab/exact_lab_view.h"
#include "rbm/bars_and_stripes.h"
#include "rbm/exact_distribution.h"
#include "rbm/random.h"

using namespace studio;

namespace {

std::shared_ptr<const rbm::Rbm> randomModel(int nv, int nh, std::uint64_t seed) {
    rbm::Random rng(seed);
    auto m = std::make_shared<rbm::Rbm>(nv, nh);
    for (Eigen::Index i = 0; i < m->W.size(); ++i) m->W.data()[i] = float(rng.normal());
    for (int i = 0; i < nv; ++i) m->visibleBias(i) = float(0.5 * rng.normal());
    for (int j = 0; j < nh; ++j) m->hiddenBias(j) = float(0.5 * rng.normal());
    return m;
}

}  // namespace

class TestExactLab : public QObject {
    Q_OBJECT
private slots:
    void showsCoresNumbersAndBarsSumToOne() {
        auto data = std::make_shared<const rbm::Dataset>(rbm::barsAndStripes(3, 3));
        ExactLabView view;
        view.resize(900, 500);
        view.show();
        view.setData(data);
        const std::shared_ptr<const rbm::Rbm> m = randomModel(9, 5, 11);
        QSignalSpy shown(&view, &ExactLabView::resultShown);
        view.setModel(m, 2.5);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() == 1, 20000);
        QVERIFY(view.available());
        QVERIFY(view.reasonText().isEmpty());

        // Core's numbers, computed here independently of the view's job.
        const rbm::DataDistribution q = rbm::dataDistribution(rbm::toMatrix(*data));
        const rbm::ExactFit fit = rbm::exactFit(*m, q, rbm::exactLogPartition(*m));
        const ExactLabResult& r = *view.result();
        QVERIFY(std::abs(r.fit.kl - fit.kl) < 1e-12);
        QVERIFY(std::abs(r.fit.meanLogLikelihood - fit.meanLogLikelihood) < 1e-12);
        QCOMPARE(r.epoch, 2.5);
        QVERIFY2(view.numbersText().contains(QString::number(fit.kl, 'f', 4)), qPrintable(view.numbersText()));
        QVERIFY(view.numbersText().contains(QString::number(fit.meanLogLikelihood, 'f', 4)));

        // The bars drawn: every pattern's mass once (listed or in the rest bar), every data pattern.
        QVERIFY2(std::abs(view.modelBarSum() - 1.0) < 1e-9, qPrintable(QString::number(view.modelBarSum() - 1.0)));
        QVERIFY(std::abs(view.dataBarSum() - 1.0) < 1e-12);
        QCOMPARE(r.patterns, std::size_t(512));
        int inData = 0;
        for (std::size_t i = 0; i < r.bars.size(); ++i) {
            inData += r.bars[i].inData ? 1 : 0;
            if (i + 2 < r.bars.size()) QVERIFY(r.bars[i].model >= r.bars[i + 1].model);  // sorted, rest last
        }
        QCOMPARE(inData, 14);
        QVERIFY(r.bars.back().rest);
        QCOMPARE(view.barCount(), int(r.bars.size()));
        QVERIFY(view.patternImages() > 0);
    }

    void newestModelWinsWhileBusy() {
        auto data = std::make_shared<const rbm::Dataset>(rbm::barsAndStripes(3, 3));
        ExactLabView view;
        view.setData(data);
        for (int k = 0; k < 5; ++k) view.setModel(randomModel(9, 4, 100 + std::uint64_t(k)), double(k));
        QTRY_VERIFY_WITH_TIMEOUT(view.result() && view.result()->epoch == 4.0 && !view.busy(), 20000);
    }

    void saysWhyForALargeModel() {
        auto data = std::make_shared<const rbm::Dataset>(rbm::barsAndStripes(3, 3));
        ExactLabView view;
        view.setData(data);
        view.setModel(std::make_shared<const rbm::Rbm>(784, 20), 0);
        QVERIFY(!view.available());
        QVERIFY2(view.reasonText().contains(QStringLiteral("784 visible units")), qPrintable(view.reasonText()));
        view.setModel(std::make_shared<const rbm::Rbm>(16, 8), 0);  // 4 x 4 model, 3 x 3 data
        QVERIFY(view.reasonText().contains(QStringLiteral("9 pixels")));
    }
};

QTEST_MAIN(TestExactLab)
#include "test_exact_lab.moc"
