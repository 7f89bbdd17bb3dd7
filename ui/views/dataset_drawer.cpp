#include "views/dataset_drawer.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QShortcut>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "dream/dream_image.h"
#include "dream/drawing_canvas.h"
#include "rbm/array_dataset.h"

namespace studio {

namespace {

/// A canvas with less ink than this is blank (a stray click is not an example).
constexpr float kInkThreshold = 0.5f;
constexpr int kMinInkPixels = 3;

bool hasInk(const std::vector<float>& pixels) {
    return std::count_if(pixels.begin(), pixels.end(), [](float v) { return v > kInkThreshold; }) >= kMinInkPixels;
}

QIcon thumbnail(const std::vector<std::uint8_t>& pixels) {
    return QIcon(QPixmap::fromImage(enlarged(grayImage(pixels.data(), DatasetDrawer::kSide, DatasetDrawer::kSide), 2)));
}

}  // namespace

DatasetDrawer::DatasetDrawer(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Draw a dataset"));
    auto* v = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Draw one example per box, choose its class, press Add (Ctrl+Return). 10 to 50 examples "
                                "per class are enough; type a new name in the class box for letters or symbols."),
                             this);
    intro->setWordWrap(true);
    v->addWidget(intro);

    auto* classRow = new QHBoxLayout;
    classRow->addWidget(new QLabel(tr("Class:"), this));
    classes_ = new QComboBox(this);
    classes_->setEditable(true);
    classes_->setInsertPolicy(QComboBox::InsertAtBottom);
    for (int k = 0; k < 10; ++k) classes_->addItem(QString::number(k));
    classes_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    classes_->setMinimumContentsLength(12);  // room for a typed name
    classes_->setToolTip(tr("The class the drawings are filed under; type a name to make a new one"));
    classRow->addWidget(classes_);
    auto* add = new QPushButton(tr("&Add to this class"), this);
    add->setDefault(true);
    connect(add, &QPushButton::clicked, this, [this] { addDrawings(); });
    auto* clear = new QPushButton(tr("Clear the boxes"), this);
    connect(clear, &QPushButton::clicked, this, [this] {
        for (DrawingCanvas* c : canvases_) c->clear();
    });
    classRow->addWidget(add);
    classRow->addWidget(clear);
    classRow->addStretch(1);
    v->addLayout(classRow);

    auto* grid = new QGridLayout;
    for (int i = 0; i < kCanvases; ++i) {
        auto* canvas = new DrawingCanvas(this);
        canvas->setGridSize(kSide, kSide);
        canvas->setMinimumSide(120);
        canvas->setObjectName(QStringLiteral("drawerCanvas%1").arg(i));
        grid->addWidget(canvas, i / 4, i % 4);
        canvases_.push_back(canvas);
    }
    v->addLayout(grid, 3);  // most of the room to the canvases

    collection_ = new QListWidget(this);
    collection_->setViewMode(QListView::IconMode);
    collection_->setIconSize(QSize(2 * kSide, 2 * kSide));
    collection_->setMovement(QListView::Static);
    collection_->setResizeMode(QListView::Adjust);
    collection_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    collection_->setMinimumHeight(2 * kSide + 30);  // one row of thumbnails, more when there is room
    collection_->setToolTip(tr("Everything drawn so far; select and press Delete to remove"));
    v->addWidget(collection_, 1);
    summary_ = new QLabel(this);
    summary_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    v->addWidget(summary_);

    auto* buttons = new QDialogButtonBox(this);
    auto* remove = buttons->addButton(tr("Remove selected"), QDialogButtonBox::ActionRole);
    connect(remove, &QPushButton::clicked, this, &DatasetDrawer::removeSelected);
    auto* save = buttons->addButton(tr("Save..."), QDialogButtonBox::ActionRole);
    connect(save, &QPushButton::clicked, this, [this] { askAndSave(false); });
    auto* train = buttons->addButton(tr("Save and train..."), QDialogButtonBox::AcceptRole);
    train->setToolTip(tr("Save the dataset, then open it in the studio as the training data"));
    connect(train, &QPushButton::clicked, this, [this] { askAndSave(true); });
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &DatasetDrawer::reject);
    v->addWidget(buttons);

    auto* addKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(addKey, &QShortcut::activated, this, [this] { addDrawings(); });
    auto* removeKey = new QShortcut(QKeySequence::Delete, collection_);
    connect(removeKey, &QShortcut::activated, this, &DatasetDrawer::removeSelected);
    rebuildCollection();
    resize(720, 600);  // four canvases side by side at a comfortable size; a small screen shrinks it
}

int DatasetDrawer::chosenClass() {
    // A name typed but not yet entered is the class too: people press Add, not Return.
    const QString name = classes_->currentText().trimmed();
    if (name.isEmpty()) return -1;
    int index = classes_->findText(name);
    if (index < 0) {
        classes_->addItem(name);
        index = classes_->count() - 1;
        classes_->setCurrentIndex(index);
    }
    int label = static_cast<int>(classNames_.indexOf(name));
    if (label < 0) {
        if (classNames_.size() >= 256) return -1;  // labels are bytes
        classNames_ << name;
        label = static_cast<int>(classNames_.size()) - 1;
    }
    return label;
}

int DatasetDrawer::addDrawings() {
    std::vector<DrawingCanvas*> drawn;
    for (DrawingCanvas* c : canvases_)
        if (hasInk(c->pixels())) drawn.push_back(c);
    if (drawn.empty()) {
        tell(tr("Nothing to add: draw in the boxes first."));
        return 0;
    }
    const int label = chosenClass();  // only now: a class nothing was filed under is no class
    if (label < 0) {
        tell(tr("Give the class a name first (at most 256 classes)."));
        return 0;
    }
    int added = 0;
    for (DrawingCanvas* c : drawn) {
        if (exampleCount() >= kMaxExamples) {
            tell(tr("The collection holds at most %1 examples.").arg(kMaxExamples));
            break;
        }
        Example e;
        e.label = label;
        e.pixels.reserve(c->pixels().size());
        for (float p : c->pixels()) e.pixels.push_back(static_cast<std::uint8_t>(std::lround(std::clamp(p, 0.0f, 1.0f) * 255.0f)));
        examples_.push_back(std::move(e));
        c->clear();
        ++added;
    }
    if (added > 0) {
        dirty_ = true;
        rebuildCollection();
    }
    return added;
}

void DatasetDrawer::removeSelected() {
    std::vector<int> rows;
    for (const QListWidgetItem* item : collection_->selectedItems()) rows.push_back(item->data(Qt::UserRole).toInt());
    std::sort(rows.rbegin(), rows.rend());
    for (int r : rows) examples_.erase(examples_.begin() + r);
    if (!rows.empty()) dirty_ = true;
    rebuildCollection();
}

rbm::Dataset DatasetDrawer::dataset() const {
    rbm::Dataset d;
    d.name = "drawn";
    d.rows = d.cols = kSide;
    d.count = examples_.size();
    for (const Example& e : examples_) {
        d.pixels.insert(d.pixels.end(), e.pixels.begin(), e.pixels.end());
        d.labels.push_back(static_cast<std::uint8_t>(e.label));
    }
    for (const QString& n : classNames_) d.classNames.push_back(n.toStdString());
    return d;
}

bool DatasetDrawer::save(const QString& path, QString* error) {
    if (examples_.empty()) {
        if (error) *error = tr("there is nothing drawn to save");
        return false;
    }
    try {
        rbm::saveNpzDataset(dataset(), QFile::encodeName(path).toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    dirty_ = false;
    return true;
}

bool DatasetDrawer::saveAndTrain(const QString& path) {
    QString error;
    if (!save(path, &error)) {
        tell(tr("The dataset could not be saved to %1: %2").arg(QDir::toNativeSeparators(path), error), true);
        return false;
    }
    emit trainRequested(path);
    accept();
    return true;
}

void DatasetDrawer::askAndSave(bool thenTrain) {
    if (examples_.empty()) {
        tell(tr("Draw and add some examples first."));
        return;
    }
    const QString start = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("drawn.npz"));
    QString path = QFileDialog::getSaveFileName(this, tr("Save the drawn dataset"), start, tr("NumPy archive (*.npz)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QStringLiteral(".npz"), Qt::CaseInsensitive)) path += QStringLiteral(".npz");
    if (thenTrain) {
        saveAndTrain(path);
        return;
    }
    QString error;
    if (!save(path, &error)) tell(tr("The dataset could not be saved to %1: %2").arg(QDir::toNativeSeparators(path), error), true);
    else summary_->setText(summaryText() + tr(" - saved to %1").arg(QDir::toNativeSeparators(path)));
}

void DatasetDrawer::reject() {
    if (dirty_ && interactive_ &&
        QMessageBox::question(this, tr("Discard the drawings?"),
                              tr("The drawings are not saved (%1). Close and discard them?").arg(summaryText())) != QMessageBox::Yes)
        return;
    QDialog::reject();
}

QString DatasetDrawer::summaryText() const {
    if (examples_.empty()) return tr("No examples yet.");
    std::vector<int> counts(static_cast<std::size_t>(classNames_.size()), 0);
    for (const Example& e : examples_) ++counts[static_cast<std::size_t>(e.label)];
    QStringList parts;
    for (int k = 0; k < classNames_.size(); ++k)
        if (counts[static_cast<std::size_t>(k)] > 0) parts << QStringLiteral("%1 x %2").arg(classNames_[k]).arg(counts[static_cast<std::size_t>(k)]);
    return (exampleCount() == 1 ? tr("1 example: ") : tr("%1 examples: ").arg(exampleCount())) + parts.join(QStringLiteral(", "));
}

void DatasetDrawer::rebuildCollection() {
    collection_->clear();
    for (std::size_t i = 0; i < examples_.size(); ++i) {
        auto* item = new QListWidgetItem(thumbnail(examples_[i].pixels), classNames_.value(examples_[i].label), collection_);
        item->setData(Qt::UserRole, static_cast<int>(i));
    }
    collection_->scrollToBottom();
    summary_->setText(summaryText());
}

void DatasetDrawer::tell(const QString& text, bool alarm) {
    summary_->setText(text);
    if (alarm && interactive_) QMessageBox::warning(this, windowTitle(), text);
}

}  // namespace studio
