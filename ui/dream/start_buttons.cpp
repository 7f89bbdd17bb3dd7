#include "dream/start_buttons.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <algorithm>

namespace studio {

StartButtons::StartButtons(QWidget* parent) : QWidget(parent) {
    auto* random = new QPushButton(tr("Random test digit"), this);
    connect(random, &QPushButton::clicked, this, &StartButtons::randomDigitPicked);
    auto* noise = new QPushButton(tr("Noise"), this);
    connect(noise, &QPushButton::clicked, this, &StartButtons::noisePicked);
    classes_ = new QComboBox(this);
    classes_->addItem(tr("a digit of class..."));
    for (int k = 0; k < 10; ++k) classes_->addItem(tr("a random %1").arg(k), k);
    connect(classes_, QOverload<int>::of(&QComboBox::activated), this, [this](int i) {
        classes_->setCurrentIndex(0);  // a menu of actions, not a setting
        if (i > 0) emit classPicked(i - 1);
    });
    index_ = new QSpinBox(this);
    index_->setRange(0, 0);
    index_->setPrefix(tr("test #"));
    auto* load = new QPushButton(tr("Load"), this);
    connect(load, &QPushButton::clicked, this, [this] { emit testDigitPicked(index_->value()); });
    auto* file = new QPushButton(tr("Image file..."), this);
    file->setToolTip(tr("A PNG or JPEG (or drop one on the panel), converted as MNIST was made: 20x20 box, centred by centre of mass"));
    connect(file, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Start the dream from an image"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.gif)"));
        if (!path.isEmpty()) emit imageFilePicked(path);
    });

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    auto* caption = new QLabel(tr("start from:"), this);
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    grid->addWidget(caption, 0, 0, 1, 3);
    grid->addWidget(random, 1, 0, 1, 2);
    grid->addWidget(noise, 1, 2);
    grid->addWidget(classes_, 2, 0, 1, 2);
    grid->addWidget(file, 2, 2);
    grid->addWidget(index_, 3, 0, 1, 2);
    grid->addWidget(load, 3, 2);
}

void StartButtons::setTestSet(int count, bool labelled) {
    index_->setRange(0, std::max(0, count - 1));
    classes_->setEnabled(labelled);
}

void StartButtons::showTestIndex(int index) { index_->setValue(index); }

}  // namespace studio
