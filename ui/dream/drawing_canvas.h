#pragma once
/// Where a person draws the digit the dream starts from: the model's visible grid (28 x 28 for
/// MNIST) shown large, painted with a soft round brush whose strokes look like MNIST's
/// (anti-aliased disc of ~2.2 grid units radius, max-combined), an eraser, and a clamp brush that
/// marks pixels the dream must keep (inpainting), shown as an orange overlay.
/// Every stroke, clear or loaded image is one command on a QUndoStack (Ctrl+Z / Ctrl+Shift+Z).
/// Mouse and tablet (pressure scales the brush).
#include <QPointF>
#include <QUndoStack>
#include <QWidget>
#include <vector>

namespace studio {

class DrawingCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Pen, Eraser, Clamp, Unclamp };

    explicit DrawingCanvas(QWidget* parent = nullptr);

    /// New grid size: blank image, no clamp, empty undo history.
    void setGridSize(int rows, int cols);
    int gridRows() const { return rows_; }
    int gridCols() const { return cols_; }
    /// rows*cols values in [0,1], row-major; 1 = ink.
    const std::vector<float>& pixels() const { return pixels_; }
    /// rows*cols values, 1 = clamped.
    const std::vector<float>& clampMask() const { return clamp_; }
    bool hasClamp() const;
    /// What the pixels on screen are, following undo and redo: the last loaded image's name,
    /// "<name>, drawn over" after strokes on top of it, "your drawing", or "a blank grid".
    QString describeImage() const;

    void setTool(Tool tool);
    Tool tool() const { return tool_; }
    /// Brush radius in grid units (pixels of the visible grid).
    void setBrushRadius(double radius);
    double brushRadius() const { return radius_; }
    QUndoStack* undoStack() { return &undo_; }

    /// The square area of the widget the grid occupies, and the mapping into grid units
    /// (x = column, y = row; the centre of pixel (r, c) is (c + 0.5, r + 0.5)).
    QRectF gridRect() const;
    QPointF toGrid(const QPointF& widgetPos) const;
    QPointF toWidget(const QPointF& gridPos) const;

    /// Coverage of a brush stroke segment a-b (grid units) at distance d: 1 inside radius - 0.5,
    /// falling linearly to 0 at radius + 0.5.
    static float coverage(double distance, double radius);

    QSize sizeHint() const override { return {336, 336}; }
    QSize minimumSizeHint() const override { return {280, 280}; }

public slots:
    void clear();                ///< undoable
    void clearClamp();           ///< undoable
    /// Replaces the image (undoable), e.g. a test digit or an imported picture. Keeps the clamp.
    /// `what` names it, in the undo history and in describeImage().
    void setImage(const std::vector<float>& image, const QString& what = QStringLiteral("Load image"));
    /// Clamp every pixel in the given rows (e.g. the top half, for inpainting). Undoable.
    void clampRows(int firstRow, int lastRow);
    /// A whole clamp mask (> 0.5 = clamped), as one undoable edit; ignored if the size differs.
    void setClampMask(const std::vector<float>& mask);

signals:
    void imageChanged();   ///< pixels changed (stroke finished, undo, redo, clear, load)
    void clampChanged();   ///< the clamp mask changed

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;
    void tabletEvent(QTabletEvent*) override;

private:
    friend class CanvasEditCommand;
    struct Content {
        std::vector<float> pixels, clamp;
    };
    void restore(const Content& c);
    void announceRestore();
    void beginStroke(const QPointF& widgetPos, double pressure, bool eraserTip);
    void continueStroke(const QPointF& widgetPos, double pressure);
    void endStroke();
    void paintSegment(const QPointF& a, const QPointF& b, double radius);
    enum class EditKind { Draw, Load, Clear };  ///< Load and Clear replace the image, Draw edits it
    void pushEdit(Content before, const QString& text, EditKind kind = EditKind::Draw);
    double pressureRadius(double pressure) const;

    int rows_ = 28, cols_ = 28;
    std::vector<float> pixels_, clamp_;
    Tool tool_ = Tool::Pen;
    Tool strokeTool_ = Tool::Pen;
    double radius_ = 2.2;
    QUndoStack undo_;
    bool stroking_ = false;
    QPointF last_;     ///< last stroke point, grid units
    Content before_;   ///< content when the stroke began
    QPointF hover_{-1, -1};
    bool restoredPixels_ = false, restoredClamp_ = false;  ///< by undo/redo, announced once the index moved
};

}  // namespace studio
