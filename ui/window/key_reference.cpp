#include "window/key_reference.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "window/shortcuts.h"

namespace studio {

namespace {
QString keysOf(const QAction* a) {
    QStringList keys;
    for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
    return keys.join(QStringLiteral(", "));
}
}  // namespace

KeyReference::KeyReference(const Shortcuts& keys, QWidget* parent) : QDialog(parent), table_(new QTableWidget) {
    setWindowTitle(tr("Keys"));
    auto* layout = new QVBoxLayout(this);
    auto* note = new QLabel(tr("These keys work wherever the focus is, except while you type into a text or number field."));
    note->setWordWrap(true);
    layout->addWidget(note);
    table_->setColumnCount(3);
    table_->setHorizontalHeaderLabels({tr("Menu"), tr("Action"), tr("Keys")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::NoSelection);
    table_->setFocusPolicy(Qt::NoFocus);
    for (const Shortcuts::Entry& e : keys.entries()) {
        const QString k = keysOf(e.action);
        if (k.isEmpty()) continue;
        const int row = table_->rowCount();
        table_->insertRow(row);
        table_->setItem(row, 0, new QTableWidgetItem(e.group));
        table_->setItem(row, 1, new QTableWidgetItem(e.action->text().remove(QLatin1Char('&')).remove(QStringLiteral("..."))));
        auto* item = new QTableWidgetItem(k);
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        table_->setItem(row, 2, item);
    }
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(table_->horizontalHeader()->length() + 60, std::min(640, table_->rowCount() * table_->verticalHeader()->defaultSectionSize() + 140));
}

}  // namespace studio
