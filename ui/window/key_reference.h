#pragma once
/// The key reference (F1, ?): every key of the studio, grouped, built from the one table of
/// actions (Shortcuts), so it can never list a key that does not work or miss one that does.
#include <QDialog>

class QTableWidget;

namespace studio {

class Shortcuts;

class KeyReference : public QDialog {
    Q_OBJECT
public:
    explicit KeyReference(const Shortcuts& keys, QWidget* parent = nullptr);
    /// Rows: group, what it does, its keys ("Ctrl+=, Ctrl++"); the tests read them.
    QTableWidget* table() const { return table_; }

private:
    QTableWidget* table_;
};

}  // namespace studio
