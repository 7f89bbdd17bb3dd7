#pragma once
/// A row of tiny pattern images with their probabilities under them: the most probable
/// patterns of the Exact lab, data patterns framed green, the others red. Images are built
/// once per setPatterns and painted scaled (nearest pixel) in paintEvent.
#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

namespace studio {

class PatternStrip : public QWidget {
    Q_OBJECT
public:
    struct Pattern {
        QImage image;  ///< rows x cols, grey
        double probability = 0;
        bool inData = false;
    };
    explicit PatternStrip(QWidget* parent = nullptr);
    void setPatterns(std::vector<Pattern> patterns);
    int count() const { return int(patterns_.size()); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<Pattern> patterns_;
};

/// A 0/1 pattern (unit i = bit i of `pattern`, row-major) as a grey image, on = white.
QImage patternImage(std::uint64_t pattern, int rows, int cols);

}  // namespace studio
