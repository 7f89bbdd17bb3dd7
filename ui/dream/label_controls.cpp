#include "dream/label_controls.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <algorithm>

namespace studio {

LabelControls::LabelControls(QWidget* parent) : QWidget(parent) {
    auto* h = new QHBoxLayout(this);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(6);
    auto* caption = new QLabel(tr("Dream a"), this);
    selector_ = new QComboBox(this);
    selector_->setObjectName(QStringLiteral("dreamClass"));
    reason_ = new QLabel(this);
    reason_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    reason_->setMinimumWidth(1);  // a long reason is cut, never widens the panel
    h->addWidget(caption);
    h->addWidget(selector_);
    h->addWidget(reason_, 1);
    connect(selector_, QOverload<int>::of(&QComboBox::activated), this, [this] {
        showReason();
        emit classChosen(chosenClass());
    });
    setLabelCount(0);
}

void LabelControls::setLabelCount(int labels) {
    labels = std::max(0, labels);
    if (labels == labels_ && selector_->count() > 0) return;
    labels_ = labels;
    selector_->clear();
    selector_->addItem(tr("free"), -1);
    for (int k = 0; k < labels_; ++k) selector_->addItem(QString::number(k), k);
    selector_->setEnabled(labels_ > 0);
    setArrangement(arrangement_);
    showReason();
    reason_->setToolTip(labels_ > 0 ? QString()
                                    : tr("This model has no label units, so there is no label to hold. Train one with "
                                         "rbm train --labels and open its checkpoint (File > Open model)."));
}

int LabelControls::chosenClass() const { return selector_->currentData().isValid() ? selector_->currentData().toInt() : -1; }

bool LabelControls::choose(int k) {
    const int index = selector_->findData(k);
    if (index < 0) return false;
    selector_->setCurrentIndex(index);
    showReason();
    emit classChosen(chosenClass());
    return true;
}

void LabelControls::setArrangement(Arrangement a) {
    arrangement_ = a;
    reason_->setVisible(!isSmall(a));
    setVisible(a != Arrangement::Mini || labels_ > 0);
}

void LabelControls::showReason() {
    const int k = chosenClass();
    reason_->setText(labels_ == 0 ? tr("no label units (rbm train --labels)")
                     : k < 0      ? tr("labels sampled")
                                  : tr("samples p(v | %1)").arg(k));
    selector_->setToolTip(labels_ == 0 ? tr("This model has no label units: %1").arg(reason_->text())
                                       : tr("Hold the model's label units at one class while it dreams: the chain then "
                                            "samples p(v | label), and whatever you drew turns into that digit. "
                                            "\"free\": the labels are sampled with the pixels."));
}

QString LabelControls::reasonText() const { return reason_->text(); }

}  // namespace studio
