#pragma once
/// "Dream a K": for a model with label units (rbm train --labels), a class selector that holds
/// the label units at K while the dream runs (the chain then samples p(v | y = K): a drawn 3
/// with 8 chosen becomes an 8), or leaves them free. For a model without label units it is
/// disabled and says why in one line. It only says what was chosen; the panel tells the engine.
#include <QWidget>

#include "dream/panel_arrangement.h"

class QComboBox;
class QLabel;

namespace studio {

class LabelControls : public QWidget {
    Q_OBJECT
public:
    explicit LabelControls(QWidget* parent = nullptr);

    /// The model's label units (0: none). A new count starts free; the same count keeps the choice.
    void setLabelCount(int labels);
    int labelCount() const { return labels_; }
    /// The chosen class, -1 for free.
    int chosenClass() const;
    /// Chooses class `k` (-1: free) as a person would, emitting classChosen. False if there is
    /// no such class.
    bool choose(int k);
    QComboBox* selector() const { return selector_; }
    /// Compact: the selector alone (its reason becomes its tooltip), for a small panel. Mini:
    /// only for a model with label units (there is nothing to choose otherwise).
    void setArrangement(Arrangement a);
    /// The grey line beside the selector (why it is disabled, or what it does).
    QString reasonText() const;

signals:
    void classChosen(int k);  ///< -1: the label units are free again

private:
    void showReason();

    QComboBox* selector_;
    QLabel* reason_;
    int labels_ = 0;
    Arrangement arrangement_ = Arrangement::Full;
};

}  // namespace studio
