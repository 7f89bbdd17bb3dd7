// Compare runs (issue 15): two run folders overlaid, one graph per run with one point per epoch;
// the settings table shows where they differ; a folder that is no run is refused by name; a run
// that grows on disk (training) grows in the window; a run's filters come from its checkpoint.
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include "patience.h"
#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"
#include "views/run_comparison_dialog.h"

using rbm::testing::patient;
using studio::RunComparisonDialog;

namespace {

void writeRun(const std::string& dir, int k, int epochs) {
    rbm::TrainingConfig c;
    c.k = k;
    rbm::RunFolder folder(dir);
    folder.writeConfig(c);
    for (int e = 1; e <= epochs; ++e) {
        rbm::EpochMetrics m;
        m.epoch = e;
        m.trainMse = 0.1 / e;
        m.testMse = 0.1 / e + 0.01 * k;
        m.hasTest = true;
        folder.appendMetrics(m);
    }
}

void appendEpoch(const std::string& dir, int epoch) {
    rbm::RunFolder folder(dir);
    rbm::EpochMetrics m;
    m.epoch = epoch;
    m.testMse = 0.05;
    m.hasTest = true;
    folder.appendMetrics(m);
}

}  // namespace

class TestRunComparison : public QObject {
    Q_OBJECT
private slots:
    void twoRunsSideBySide() {
        QTemporaryDir dir;
        const QString a = dir.filePath("cd1"), b = dir.filePath("cd5"), none = dir.filePath("empty");
        writeRun(a.toStdString(), 1, 3);
        writeRun(b.toStdString(), 5, 2);
        {
            rbm::Checkpoint c;  // only cd1 has saved a model yet: 4 hidden units, 2 x 2 tiles of 28 x 28
            c.model = rbm::Rbm(784, 4);
            c.config.hidden = 4;
            rbm::RunFolder(a.toStdString()).saveCheckpoint(c, 3);
        }
        QVERIFY(QDir().mkpath(none));
        RunComparisonDialog dialog;
        std::vector<float> drawing(784, 0.0f);
        for (int r = 4; r < 24; ++r) drawing[static_cast<std::size_t>(r * 28 + 14)] = 1.0f;  // a "1"
        dialog.setDreamStart(drawing);
        dialog.show();
        dialog.addRun(a);
        dialog.addRun(b);
        dialog.addRun(none);
        dialog.addRun(a);  // twice: one run
        QTRY_VERIFY_WITH_TIMEOUT(dialog.runs().size() == 2 && !dialog.reading(), patient(5000));
        QVERIFY2(dialog.statusText().contains("empty") && dialog.statusText().contains("not a training run"), qPrintable(dialog.statusText()));

        QCustomPlot* plot = dialog.plot();
        QCOMPARE(plot->graphCount(), 2);
        QCOMPARE(plot->graph(0)->name(), QStringLiteral("cd1"));
        QCOMPARE(plot->graph(0)->data()->size(), 3);
        QCOMPARE(plot->graph(1)->data()->size(), 2);
        QCOMPARE(plot->graph(1)->data()->at(1)->value, 0.1 / 2 + 0.05);  // held-out error of cd5, epoch 2
        QVERIFY(plot->graph(0)->pen().color() != plot->graph(1)->pen().color());

        // cd1's filters from its checkpoint; cd5 has none yet.
        QVERIFY(!dialog.filterImage(0).isNull());
        QVERIFY(dialog.filterImage(0).width() >= 2 * 28 && dialog.filterImage(0).height() >= 2 * 28);
        QVERIFY(dialog.filterImage(1).isNull());
        // cd1's dream of the drawing: the drawing itself first, then p(v|h) of its all-zero
        // weights, 0.5 everywhere (grey 128).
        const QImage dream = dialog.dreamImage(0);
        const int frames = static_cast<int>(RunComparisonDialog::dreamSteps().size());
        QCOMPARE(dream.size(), QSize(frames * 29 - 1, 28));
        QCOMPARE(qGray(dream.pixel(14, 10)), 255);
        QCOMPARE(qGray(dream.pixel(3, 10)), 0);
        QCOMPARE(qGray(dream.pixel(29 + 14, 10)), 128);
        QVERIFY(dialog.dreamImage(1).isNull());

        // Only the differing settings: k, and not the hidden units they share.
        QTableWidget* t = dialog.settingsTable();
        QStringList keys;
        for (int r = 0; r < t->rowCount(); ++r) keys << t->verticalHeaderItem(r)->text();
        QVERIFY2(keys.contains("k") && !keys.contains("hidden"), qPrintable(keys.join(',')));
        const int k = static_cast<int>(keys.indexOf("k"));
        QCOMPARE(t->item(k, 0)->text(), QStringLiteral("1"));
        QCOMPARE(t->item(k, 1)->text(), QStringLiteral("5"));
        QVERIFY(t->item(k, 0)->font().bold());

        // "Train a copy of cd5": its settings go out, k = 5 included.
        int copiedK = 0;
        QString copied;
        connect(&dialog, &RunComparisonDialog::copyRequested, this, [&](const rbm::TrainingConfig& c, const QString& run) {
            copiedK = c.k;
            copied = run;
        });
        QVERIFY(dialog.copyRun(1));
        QCOMPARE(copiedK, 5);
        QCOMPARE(copied, QStringLiteral("cd5"));
        QVERIFY(!dialog.copyRun(2));

        // A run that trains on: its next epoch appears at the next read.
        appendEpoch(b.toStdString(), 3);
        dialog.reload();
        QTRY_COMPARE_WITH_TIMEOUT(plot->graph(1)->data()->size(), 3, patient(5000));
    }
};

QTEST_MAIN(TestRunComparison)
#include "test_run_comparison.moc"
