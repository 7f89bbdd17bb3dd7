#include "dream/canvas_tools.h"

#include <QAction>
#include <QButtonGroup>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "dream/drawing_canvas.h"

namespace studio {

CanvasTools::CanvasTools(DrawingCanvas* canvas, QWidget* shortcutScope, QWidget* parent) : QWidget(parent) {
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
        b->setText(tr(d.name));
        b->setToolTip(tr(d.tip));
        b->setCheckable(true);
        b->setChecked(d.tool == canvas->tool());
        group->addButton(b);
        connect(b, &QToolButton::toggled, canvas, [canvas, t = d.tool](bool on) { if (on) canvas->setTool(t); });
        tools->addWidget(b);
    }
    tools->addSpacing(6);
    auto* brushLabel = new QLabel(tr("brush"), this);
    brushLabel->setStyleSheet(QStringLiteral("color: palette(mid);"));
    tools->addWidget(brushLabel);
    auto* brush = new QSlider(Qt::Horizontal, this);
    brush->setRange(10, 45);
    brush->setValue(static_cast<int>(canvas->brushRadius() * 10));
    brush->setToolTip(tr("Brush radius in pixels of the grid (2.2 looks like MNIST strokes)"));
    connect(brush, &QSlider::valueChanged, canvas, [canvas](int r) { canvas->setBrushRadius(r / 10.0); });
    tools->addWidget(brush, 1);
    v->addLayout(tools);

    QUndoStack* history = canvas->undoStack();
    auto* undo = new QPushButton(tr("Undo"), this);
    undo->setToolTip(tr("Undo the last stroke (Ctrl+Z)"));
    connect(undo, &QPushButton::clicked, history, &QUndoStack::undo);
    connect(history, &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    auto* redo = new QPushButton(tr("Redo"), this);
    redo->setToolTip(tr("Redo (Ctrl+Shift+Z)"));
    connect(redo, &QPushButton::clicked, history, &QUndoStack::redo);
    connect(history, &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    undo->setEnabled(history->canUndo());
    redo->setEnabled(history->canRedo());
    auto* clear = new QPushButton(tr("Clear"), this);
    connect(clear, &QPushButton::clicked, canvas, &DrawingCanvas::clear);
    auto* clearClamp = new QPushButton(tr("Clear clamp"), this);
    connect(clearClamp, &QPushButton::clicked, canvas, &DrawingCanvas::clearClamp);
    auto* clampTop = new QPushButton(tr("Clamp top half"), this);
    clampTop->setToolTip(tr("Hold the top half fixed and let the model complete the bottom"));
    connect(clampTop, &QPushButton::clicked, canvas, [canvas] { canvas->clampRows(0, canvas->gridRows() / 2 - 1); });

    auto* grid = new QGridLayout;
    grid->setSpacing(4);
    grid->addWidget(undo, 0, 0);
    grid->addWidget(redo, 0, 1);
    grid->addWidget(clear, 0, 2);
    grid->addWidget(clampTop, 1, 0, 1, 2);
    grid->addWidget(clearClamp, 1, 2);
    v->addLayout(grid);

    QAction* undoKey = history->createUndoAction(shortcutScope, tr("Undo"));
    undoKey->setShortcut(QKeySequence::Undo);
    QAction* redoKey = history->createRedoAction(shortcutScope, tr("Redo"));
    redoKey->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    for (QAction* a : {undoKey, redoKey}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        shortcutScope->addAction(a);
    }
}

}  // namespace studio
