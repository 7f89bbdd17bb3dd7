#pragma once
/// The tools under the drawing canvas: pen, eraser, clamp and unclamp brushes, the brush size,
/// undo / redo / clear, and the clamp shortcuts. Acts on the canvas only. Ctrl+Z and
/// Ctrl+Shift+Z undo and redo while the focus is anywhere inside `shortcutScope`.
#include <QWidget>

namespace studio {

class DrawingCanvas;

class CanvasTools : public QWidget {
    Q_OBJECT
public:
    CanvasTools(DrawingCanvas* canvas, QWidget* shortcutScope, QWidget* parent = nullptr);
};

}  // namespace studio
