#include "dream/canvas_controls.h"

#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "dream/drawing_canvas.h"

namespace studio {

namespace {
QPushButton* button(const QString& text, QWidget* parent, const QString& tip = {}) {
    auto* b = new QPushButton(text, parent);
    b->setToolTip(tip);
    return b;
}
QLabel* greyLabel(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setStyleSheet(QStringLiteral("color: palette(mid);"));
    return l;
}
}  // namespace

CanvasControls::CanvasControls(DrawingCanvas* canvas, QWidget* shortcutScope, QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(4);

    auto* tools = new QHBoxLayout;
    auto* group = new QButtonGroup(this);
    struct ToolDef { const char* name; const char* tip; DrawingCanvas::Tool tool; };
    const ToolDef defs[] = {
        {"Pen", "Draw ink with a soft MNIST-like brush (right button erases)", DrawingCanvas::Tool::Pen},
        {"Eraser", "Erase ink", DrawingCanvas::Tool::Eraser},
        {"Clamp", "Paint pixels the dream must keep as drawn (inpainting)", DrawingCanvas::Tool::Clamp},
        {"Unclamp", "Release clamped pixels", DrawingCanvas::Tool::Unclamp}};
    for (const ToolDef& d : defs) {
        auto* b = new QToolButton(this);
        tertiary_.push_back(b);
        b->setText(tr(d.name));
        b->setToolTip(tr(d.tip));
        b->setCheckable(true);
        b->setChecked(d.tool == canvas->tool());
        group->addButton(b);
        connect(b, &QToolButton::toggled, canvas, [canvas, t = d.tool](bool on) { if (on) canvas->setTool(t); });
        tools->addWidget(b);
    }
    tools->addSpacing(6);
    auto* brushLabel = greyLabel(tr("brush"), this);
    tools->addWidget(brushLabel);
    auto* brush = new QSlider(Qt::Horizontal, this);
    brush->setRange(10, 45);
    brush->setValue(static_cast<int>(std::lround(canvas->brushRadius() * 10)));
    brush->setToolTip(tr("Brush radius in pixels of the grid (2.2 looks like MNIST strokes)"));
    connect(brush, &QSlider::valueChanged, canvas, [canvas](int r) { canvas->setBrushRadius(r / 10.0); });
    tools->addWidget(brush, 1);
    v->addLayout(tools);

    QUndoStack* history = canvas->undoStack();
    auto* undo = button(tr("Undo"), this, tr("Undo the last stroke (Ctrl+Z)"));
    connect(undo, &QPushButton::clicked, history, &QUndoStack::undo);
    connect(history, &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    auto* redo = button(tr("Redo"), this, tr("Redo (Ctrl+Shift+Z)"));
    connect(redo, &QPushButton::clicked, history, &QUndoStack::redo);
    connect(history, &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    undo->setEnabled(history->canUndo());
    redo->setEnabled(history->canRedo());
    auto* clear = button(tr("Clear"), this);
    connect(clear, &QPushButton::clicked, canvas, &DrawingCanvas::clear);
    auto* clearClamp = button(tr("Clear clamp"), this);
    connect(clearClamp, &QPushButton::clicked, canvas, &DrawingCanvas::clearClamp);
    auto* clampTop = button(tr("Clamp top half"), this, tr("Hold the top half fixed and let the model complete the bottom"));
    connect(clampTop, &QPushButton::clicked, canvas, [canvas] { canvas->clampRows(0, canvas->gridRows() / 2 - 1); });

    auto* random = button(tr("Random test digit"), this);
    connect(random, &QPushButton::clicked, this, &CanvasControls::randomDigitPicked);
    auto* noise = button(tr("Noise"), this);
    connect(noise, &QPushButton::clicked, this, &CanvasControls::noisePicked);
    classes_ = new QComboBox(this);
    classes_->addItem(tr("a digit of class..."));
    // As narrow as its button neighbours: its longest item must not widen a small panel.
    classes_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    classes_->setMinimumContentsLength(10);
    for (int k = 0; k < 10; ++k) classes_->addItem(tr("a random %1").arg(k), k);
    connect(classes_, QOverload<int>::of(&QComboBox::activated), this, [this](int i) {
        classes_->setCurrentIndex(0);  // a menu of actions, not a setting
        if (i > 0) emit classPicked(i - 1);
    });
    index_ = new QSpinBox(this);
    index_->setRange(0, 0);
    index_->setPrefix(tr("test #"));
    auto* load = button(tr("Load"), this);
    connect(load, &QPushButton::clicked, this, [this] { emit testDigitPicked(index_->value()); });
    auto* file = button(tr("Image file..."), this,
                        tr("A PNG or JPEG (or drop one on the panel), converted as MNIST was made: 20x20 box, centred by centre of mass"));
    connect(file, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Start the dream from an image"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.gif)"));
        if (!path.isEmpty()) emit imageFilePicked(path);
    });

    auto* grid = new QGridLayout;
    grid->setSpacing(4);
    grid->addWidget(undo, 0, 0);
    grid->addWidget(redo, 0, 1);
    grid->addWidget(clear, 0, 2);
    grid->addWidget(clampTop, 1, 0, 1, 2);
    grid->addWidget(clearClamp, 1, 2);
    auto* startFrom = greyLabel(tr("start from:"), this);
    grid->addWidget(startFrom, 2, 0, 1, 3);
    grid->addWidget(random, 3, 0, 1, 2);
    grid->addWidget(noise, 3, 2);
    grid->addWidget(classes_, 4, 0, 1, 2);
    grid->addWidget(file, 4, 2);
    grid->addWidget(index_, 5, 0, 1, 2);
    grid->addWidget(load, 5, 2);
    v->addLayout(grid);
    secondary_ = {brushLabel, brush, clampTop, clearClamp, startFrom, index_, load};
    tertiary_.insert(tertiary_.end(), {undo, redo, classes_, file});

    QAction* undoKey = history->createUndoAction(shortcutScope, tr("Undo"));
    undoKey->setShortcut(QKeySequence::Undo);
    QAction* redoKey = history->createRedoAction(shortcutScope, tr("Redo"));
    redoKey->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    for (QAction* a : {undoKey, redoKey}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        shortcutScope->addAction(a);
    }
}

void CanvasControls::setTestSet(int count, bool labelled) {
    index_->setRange(0, std::max(0, count - 1));
    classes_->setEnabled(labelled);
}

void CanvasControls::showTestIndex(int index) { index_->setValue(index); }

void CanvasControls::setArrangement(Arrangement a) {
    for (QWidget* w : secondary_) w->setVisible(!isSmall(a));
    for (QWidget* w : tertiary_) w->setVisible(a != Arrangement::Mini);
}

}  // namespace studio
