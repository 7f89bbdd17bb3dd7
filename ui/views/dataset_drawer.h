#pragma once
/// File > Draw a dataset: a class draws its own examples (letters, symbols, their own digits;
/// 10 to 50 per class train a small model in seconds) on a grid of canvases. Each press of Add
/// files every canvas with ink under the chosen class and clears them for the next person. The
/// collection is saved as an .npz dataset (rbm::saveNpzDataset, numpy reads it too), which the
/// window then opens like any dataset file and trains on; a session file stores it inline (it is
/// small), so a mailed session carries the class's drawings.
#include <QDialog>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

#include "rbm/dataset.h"

class QComboBox;
class QLabel;
class QListWidget;

namespace studio {

class DrawingCanvas;

class DatasetDrawer : public QDialog {
    Q_OBJECT
public:
    static constexpr int kSide = 28;          ///< MNIST's grid: models trained on digits fit it too
    static constexpr int kCanvases = 8;       ///< two rows of four: a group draws side by side
    static constexpr int kMaxExamples = 5000;  ///< far beyond a class's patience; bounds memory

    explicit DatasetDrawer(QWidget* parent = nullptr);

    const std::vector<DrawingCanvas*>& canvases() const { return canvases_; }
    /// The class the next Add files under; a name typed there becomes a new class.
    QComboBox* classSelector() const { return classes_; }
    /// Files every canvas with ink under the chosen class and clears the canvases. Returns how
    /// many were added (0 with a message when none had ink or the collection is full).
    int addDrawings();
    /// Removes the examples selected in the collection.
    void removeSelected();
    int exampleCount() const { return static_cast<int>(examples_.size()); }
    /// The examples so far: labelled, kSide x kSide, classes named as typed.
    rbm::Dataset dataset() const;
    /// Writes dataset() to `path` atomically; false with `error` naming the file and the reason.
    bool save(const QString& path, QString* error);
    /// Saves to `path`, then asks the window to open it and closes. False (and open) on failure.
    bool saveAndTrain(const QString& path);
    bool hasUnsavedExamples() const { return dirty_; }
    /// The grey line under the collection ("12 examples: A x 7, B x 5").
    QString summaryText() const;
    /// Off in tests: no question before discarding unsaved examples, no message boxes.
    void setInteractive(bool interactive) { interactive_ = interactive; }

signals:
    /// Saved at `path` and to be trained on.
    void trainRequested(const QString& path);

public slots:
    void reject() override;  ///< asks before discarding unsaved examples

private:
    struct Example {
        std::vector<std::uint8_t> pixels;
        int label = 0;
    };
    int chosenClass();
    void rebuildCollection();
    void askAndSave(bool thenTrain);
    /// In the grey line; an alarm (a failed save) also in a message box.
    void tell(const QString& text, bool alarm = false);

    std::vector<DrawingCanvas*> canvases_;
    QComboBox* classes_;
    QListWidget* collection_;
    QLabel* summary_;
    QStringList classNames_;
    std::vector<Example> examples_;
    bool dirty_ = false;
    bool interactive_ = true;
};

}  // namespace studio
