#pragma once
/// Everything under the drawing canvas: the pen, eraser, clamp and unclamp brushes, the brush
/// size, undo / redo / clear and the clamp shortcuts (these act on the canvas), and the buttons
/// that pick where the dream starts (these only say what was picked: a random test digit,
/// noise, a random digit of a class, a test digit by index, an image file). One grid, so the
/// buttons line up in three columns.
#include <QWidget>
#include <vector>

#include "dream/panel_arrangement.h"

class QComboBox;
class QSpinBox;

namespace studio {

class DrawingCanvas;

class CanvasControls : public QWidget {
    Q_OBJECT
public:
    /// Ctrl+Z and Ctrl+Shift+Z undo and redo while the focus is anywhere inside `shortcutScope`.
    CanvasControls(DrawingCanvas* canvas, QWidget* shortcutScope, QWidget* parent = nullptr);
    /// `count` test digits; the class menu only when they are labelled.
    void setTestSet(int count, bool labelled);
    void showTestIndex(int index);
    /// Compact: the brushes, undo / redo / clear and the main starts only (a small panel);
    /// Mini: Clear, Random test digit and Noise only.
    void setArrangement(Arrangement a);

signals:
    void randomDigitPicked();
    void noisePicked();
    void classPicked(int digitClass);
    void testDigitPicked(int index);
    void imageFilePicked(const QString& path);

private:
    QComboBox* classes_;
    QSpinBox* index_;
    std::vector<QWidget*> secondary_;  ///< hidden when compact
    std::vector<QWidget*> tertiary_;   ///< hidden in Mini as well
};

}  // namespace studio
