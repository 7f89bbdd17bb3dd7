// Draw a dataset (issue 15): strokes drawn with the mouse on the drawer's canvases become
// labelled examples of the chosen class (a typed name is a new class), the ink lands where the
// stroke went, blank canvases add nothing, removal works, and the saved .npz reads back through
// the loader every dataset goes through: same pixels, labels and class names. A session file
// keeps the drawings inline, and a failed save names the file and keeps the drawings.
#include <QAction>
#include <QComboBox>
#include <QMainWindow>
#include <QMenu>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>

#include "dream/drawing_canvas.h"
#include "imaging/open_dataset.h"
#include "rbm/array_dataset.h"
#include "rbm/checkpoint.h"
#include "rbm/session_file.h"
#include "training/training_controller.h"
#include "views/dataset_drawer.h"
#include "window/shortcuts.h"
#include "window/studio_menus.h"

using studio::DatasetDrawer;
using studio::DrawingCanvas;

namespace {

/// A straight stroke from grid point `a` to `b` with the mouse.
void stroke(DrawingCanvas* c, QPointF a, QPointF b) {
    QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, c->toWidget(a).toPoint());
    for (int i = 1; i <= 8; ++i) QTest::mouseMove(c, c->toWidget(a + (b - a) * (i / 8.0)).toPoint());
    QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, c->toWidget(b).toPoint());
}

/// Ink (0-255) of the pixel at grid row r, column c of example i.
int inkAt(const rbm::Dataset& d, std::size_t i, int r, int c) { return d.image(i)[r * d.cols + c]; }

void choose(DatasetDrawer& drawer, const QString& name) { drawer.classSelector()->setEditText(name); }

}  // namespace

class TestDatasetDrawer : public QObject {
    Q_OBJECT

private slots:
    void strokesBecomeLabelledExamples() {
        DatasetDrawer drawer;
        drawer.setInteractive(false);
        drawer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&drawer));
        QCOMPARE(drawer.addDrawings(), 0);  // nothing drawn: nothing added
        // Class "A": a vertical bar in box 0, a horizontal bar in box 3; box 1 stays blank.
        choose(drawer, QStringLiteral("A"));
        stroke(drawer.canvases()[0], {14, 4}, {14, 24});
        stroke(drawer.canvases()[3], {4, 14}, {24, 14});
        QCOMPARE(drawer.addDrawings(), 2);
        for (DrawingCanvas* c : drawer.canvases())  // cleared for the next person
            QVERIFY(std::all_of(c->pixels().begin(), c->pixels().end(), [](float v) { return v == 0.0f; }));
        // Class "3" (one of the ready-made digits), one example.
        choose(drawer, QStringLiteral("3"));
        stroke(drawer.canvases()[5], {6, 6}, {22, 22});
        QCOMPARE(drawer.addDrawings(), 1);

        const rbm::Dataset d = drawer.dataset();
        QCOMPARE(d.count, std::size_t(3));
        QCOMPARE(d.rows, 28);
        QCOMPARE(d.classNames, (std::vector<std::string>{"A", "3"}));
        QCOMPARE(d.labels, (std::vector<std::uint8_t>{0, 0, 1}));
        // The ink is where each stroke went (x = column, y = row), and not far off it.
        QVERIFY(inkAt(d, 0, 14, 14) > 200 && inkAt(d, 0, 14, 3) == 0);
        QVERIFY(inkAt(d, 0, 10, 14) > 200 && inkAt(d, 0, 10, 22) == 0);
        QVERIFY(inkAt(d, 1, 14, 10) > 200 && inkAt(d, 1, 22, 10) == 0);
        QVERIFY(inkAt(d, 2, 14, 14) > 200 && inkAt(d, 2, 6, 22) == 0);
        QVERIFY2(drawer.summaryText().contains("3 examples") && drawer.summaryText().contains("A x 2") &&
                     drawer.summaryText().contains("3 x 1"),
                 qPrintable(drawer.summaryText()));
        QVERIFY(drawer.hasUnsavedExamples());

        // Remove the first example: the other two keep their pixels and labels.
        auto* list = drawer.findChild<QListWidget*>();
        QVERIFY(list);
        QCOMPARE(list->count(), 3);
        list->item(0)->setSelected(true);
        drawer.removeSelected();
        const rbm::Dataset after = drawer.dataset();
        QCOMPARE(after.count, std::size_t(2));
        QCOMPARE(after.labels, (std::vector<std::uint8_t>{0, 1}));
        QCOMPARE(std::vector<std::uint8_t>(after.image(0), after.image(0) + 784), std::vector<std::uint8_t>(d.image(1), d.image(1) + 784));
    }

    void savedDatasetReadsBackAndTravelsInASession() {
        QTemporaryDir dir;
        DatasetDrawer drawer;
        drawer.setInteractive(false);
        drawer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&drawer));
        choose(drawer, QStringLiteral("star"));
        stroke(drawer.canvases()[0], {5, 5}, {23, 23});
        stroke(drawer.canvases()[1], {23, 5}, {5, 23});
        QCOMPARE(drawer.addDrawings(), 2);
        const rbm::Dataset drawn = drawer.dataset();

        // A folder that does not exist: refused with the file named, the drawings kept.
        QString error;
        const QString bad = dir.filePath(QStringLiteral("missing/drawn.npz"));
        QVERIFY(!drawer.save(bad, &error));
        QVERIFY2(error.contains("drawn.npz"), qPrintable(error));
        QVERIFY(drawer.hasUnsavedExamples());
        QCOMPARE(drawer.exampleCount(), 2);

        const QString path = dir.filePath(QStringLiteral("drawn.npz"));
        QString requested;
        connect(&drawer, &DatasetDrawer::trainRequested, this, [&requested](const QString& p) { requested = p; });
        QVERIFY(drawer.saveAndTrain(path));
        QCOMPARE(requested, path);
        QVERIFY(!drawer.hasUnsavedExamples());

        const studio::OpenedDataset opened = studio::loadAnyDataset(path.toStdString());
        QCOMPARE(opened.pair.train.count, std::size_t(2));
        QCOMPARE(opened.pair.train.pixels, drawn.pixels);
        QCOMPARE(opened.pair.train.labels, drawn.labels);
        QCOMPARE(opened.pair.train.classNames, std::vector<std::string>{"star"});
        // Small enough to travel inside a session file, not by reference.
        const rbm::SessionDataset s = rbm::describeDataset(opened.pair.train, opened.pair.test, path.toStdString());
        QCOMPARE(rbm::datasetKindName(s.kind), "inline");
    }

    void aRecentDrawnDatasetOpensAsADataset() {
        // Both are .npz: File > Recent told them apart by the name and opened a drawn dataset as
        // a model ("not an RBM Studio checkpoint").
        QTemporaryDir dir;
        rbm::Dataset d;
        d.rows = d.cols = 28;
        d.count = 1;
        d.pixels.assign(784, 255);
        d.labels = {0};
        const QString data = dir.filePath(QStringLiteral("drawn.npz")), model = dir.filePath(QStringLiteral("model.npz"));
        rbm::saveNpzDataset(d, data.toStdString());
        rbm::Checkpoint c;
        c.model = rbm::Rbm(784, 4);
        rbm::saveCheckpoint(model.toStdString(), c);

        QMainWindow window;
        studio::TrainingController controller;
        studio::Shortcuts keys(&window);
        studio::StudioMenus menus(&window, &controller, &keys);
        QStringList datasets, models;
        connect(&menus, &studio::StudioMenus::openDatasetRequested, this, [&datasets](const QString& p) { datasets << p; });
        connect(&menus, &studio::StudioMenus::openModelRequested, this, [&models](const QString& p) { models << p; });
        menus.setRecentFiles({data, model});
        QMenu* recent = nullptr;
        for (QMenu* m : menus.fileMenu()->findChildren<QMenu*>())
            if (m->title().contains(QStringLiteral("Recent"))) recent = m;
        QVERIFY(recent);
        QCOMPARE(recent->actions().size(), 2);
        for (QAction* a : recent->actions()) a->trigger();
        QCOMPARE(datasets, QStringList{data});
        QCOMPARE(models, QStringList{model});
    }
};

QTEST_MAIN(TestDatasetDrawer)
#include "test_dataset_drawer.moc"
