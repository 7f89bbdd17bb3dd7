#pragma once
/// The buttons under the canvas that pick where the dream starts: a random test digit, noise,
/// a random digit of a class, a test digit by index, an image file. They only say what was
/// picked; the panel fetches the start from StartSources.
#include <QWidget>

class QComboBox;
class QSpinBox;

namespace studio {

class StartButtons : public QWidget {
    Q_OBJECT
public:
    explicit StartButtons(QWidget* parent = nullptr);
    /// `count` test digits; the class menu only when they are labelled.
    void setTestSet(int count, bool labelled);
    void showTestIndex(int index);

signals:
    void randomDigitPicked();
    void noisePicked();
    void classPicked(int digitClass);
    void testDigitPicked(int index);
    void imageFilePicked(const QString& path);

private:
    QComboBox* classes_;
    QSpinBox* index_;
};

}  // namespace studio
