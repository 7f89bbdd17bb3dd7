#include "explain/panel_explanations.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QCursor>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QWhatsThis>

#include "explain/dock_title_bar.h"

namespace studio {

namespace {

QString tr(const char* s) { return QCoreApplication::translate("PanelExplanations", s); }

std::vector<PanelExplanation> makeExplanations() {
    return {
        {QStringLiteral("filters"), tr("Weight filters"),
         tr("Each tile is one hidden unit's weights W<sub>:,j</sub>, drawn as an image: red pixels switch the unit on, "
            "blue ones switch it off, white ones do not matter."),
         tr("Random speckle at first; within an epoch, strokes and blobs (pieces of digits). Tiles that stay speckled "
            "or identical are units that learned nothing: a learning rate too small or too large."),
         tr("p(h<sub>j</sub>=1 | v) = \u03C3(c<sub>j</sub> + \u03A3<sub>i</sub> v<sub>i</sub> W<sub>ij</sub>)")},
        {QStringLiteral("metrics"), tr("Metrics"),
         tr("Learning curves on an epoch axis: the reconstruction error per batch and per epoch, the free energy of "
            "training and held-out digits, and the pseudo-log-likelihood. Markers show where a setting was changed."),
         tr("The error falls fast and then flattens; it is not the likelihood, so do not tune by it alone. A free-energy "
            "gap (held-out minus training) that keeps growing means the model is overfitting."),
         tr("MSE = \u2016v \u2212 p(v | h)\u2016\u00B2 / n,&nbsp; F(v) = \u2212b\u00B7v \u2212 \u03A3<sub>j</sub> "
            "log(1 + e<sup>c<sub>j</sub> + v\u00B7W<sub>:,j</sub></sup>)")},
        {QStringLiteral("histograms"), tr("Histograms"),
         tr("How the weights, the visible and hidden biases and their last updates are distributed, and the size of "
            "each update relative to its parameters."),
         tr("Hinton's rule of thumb: an update about a thousandth of the weights (|\u0394W| / |W| \u2248 10<sup>\u22123</sup>). "
            "Much larger and training is unstable; much smaller and it crawls."),
         tr("ratio = \u2016\u0394W\u2016 / \u2016W\u2016")},
        {QStringLiteral("activity"), tr("Hidden activity"),
         tr("p(h|v) for a minibatch as an image: one row per example, one column per hidden unit, white = on. "
            "Below it, each unit's mean activity."),
         tr("A grey, textured picture is healthy. Black columns are dead units, white columns saturated ones; "
            "horizontal stripes mean the units do not tell the examples apart."),
         tr("p(h<sub>j</sub>=1 | v<sub>n</sub>) for examples n and units j")},
        {QStringLiteral("fantasy"), tr("Fantasy particles"),
         tr("The model's own samples: the negative-phase states of the last batch, the persistent chains with PCD."),
         tr("They should look like digits. With CD they stay close to the data; with PCD they wander, and a model that "
            "has learned well keeps them looking like digits of every class."),
         tr("v\u0303 ~ p(v | h\u0303),&nbsp; h\u0303 ~ p(h | v\u0303) (Gibbs sampling)")},
        {QStringLiteral("data"), tr("Training data"),
         tr("The first digits of the training set, as the model sees them (binarized if the settings say so)."),
         tr("Compare them with the fantasy particles and the filters: the strokes of the filters come from here."),
         tr("v<sub>i</sub> = pixel / 255 \u2208 [0, 1]")},
        {QStringLiteral("controls"), tr("Controls"),
         tr("Every setting of the training run and the run buttons. Grey settings fix the model's structure and wait "
            "for a new model; the others apply at the next batch."),
         tr("Space starts and pauses; one batch at a time shows a single update. The learning rate \u03B5 is the first "
            "thing to change when the filters stay speckled."),
         tr("W \u2190 W + \u03B5 (\u27E8v h\u27E9<sub>data</sub> \u2212 \u27E8v h\u27E9<sub>model</sub>) \u2212 \u03B5\u03BB W")},
        {QStringLiteral("checkpoints"), tr("Checkpoints"),
         tr("The models saved at the end of each epoch of the run, with their metrics."),
         tr("Restore one to look at the model as it was, or to continue training from there."),
         tr("one file per epoch: W, b, c, the optimizer's state and the settings")},
        {QStringLiteral("panel-dream"), tr("Dream"),
         tr("Block Gibbs sampling on the model being trained, started from your drawing, a test digit or noise: "
            "p(v|h) beside the sampled state, the hidden layer, and which digit it looks like now."),
         tr("A good model turns a scribble into a digit and then wanders between digits; a poor one stays noisy or "
            "freezes. Clamp part of the image to let the model complete the rest."),
         tr("h ~ p(h | v),&nbsp; v ~ p(v | h),&nbsp; repeated")},
        {QStringLiteral("panel-likelihood"), tr("Likelihood"),
         tr("The honest learning curve: the average log-probability the model gives held-out and training digits, in "
            "nats per digit (higher is better), estimated by annealed importance sampling in the background."),
         tr("It should rise and level off; held-out below training by a growing margin is overfitting. The dashed lines "
            "are published MNIST results and the independent-pixels baseline."),
         tr("log p(v) = \u2212F(v) \u2212 log Z,&nbsp; Z estimated by AIS (error bars: one standard error)")},
        {QStringLiteral("panel-training-health"), tr("Training health"),
         tr("Hinton's practical checks as traffic lights: update sizes, dead or saturated units, the free-energy gap "
            "and the likelihood, each with a sentence of advice."),
         tr("Green is fine, amber deserves a look, red needs a change; the advice says which setting to try. With "
            "early stopping on, training pauses when the held-out likelihood falls."),
         tr("e.g. |\u0394W| / |W| \u2248 10<sup>\u22123</sup>, dead: mean p(h<sub>j</sub>) &lt; 0.01")},
        {QStringLiteral("panel-exact-lab"), tr("Exact lab"),
         tr("For a model small enough to list every visible pattern (bars and stripes 4 x 4: 65,536), the model's exact "
            "probability of each pattern (blue: a training pattern, grey: not) beside the data's (orange)."),
         tr("Training moves the blue bars up to the orange ones and the grey ones down; KL(data || model) falls towards 0. "
            "Compare CD-1, CD-k and PCD on the same data."),
         tr("p(v) = e<sup>\u2212F(v)</sup> / Z,&nbsp; KL = \u03a3 q(v) log(q(v) / p(v))")},
        {QStringLiteral("panel-explain-step"), tr("Explain one step"),
         tr("One CD (or PCD) update on one digit, in slow motion: from the data through the hidden units and back to "
            "the change of every weight. Next and Back (or the arrow keys) walk through the stages."),
         tr("Point at a unit to see its formula with the numbers filled in. At the last stage, red tiles are weights "
            "this digit strengthens and blue ones it weakens."),
         tr("\u0394W = \u03B5 (v\u2070 p(h | v\u2070)<sup>T</sup> \u2212 v\u00B9 p(h | v\u00B9)<sup>T</sup>)")},
    };
}

void showExplanation(const PanelExplanation* e, QPoint at, QWidget* near) {
    if (e) {
        QWhatsThis::showText(at, explanationHtml(*e), near);
        return;
    }
    QString all = QStringLiteral("<p>%1</p>").arg(tr("Click into a panel first, or use the <b>?</b> of its title bar."));
    for (const PanelExplanation& x : panelExplanations()) all += QStringLiteral("<p><b>%1</b>: %2</p>").arg(x.title, x.what);
    QWhatsThis::showText(at, all, near);
}

}  // namespace

const std::vector<PanelExplanation>& panelExplanations() {
    static const std::vector<PanelExplanation> all = makeExplanations();
    return all;
}

const PanelExplanation* panelExplanation(const QString& id) {
    for (const PanelExplanation& e : panelExplanations())
        if (e.id == id) return &e;
    return nullptr;
}

QString explanationHtml(const PanelExplanation& e) {
    return QStringLiteral("<h3>%1</h3><p><b>%2</b> %3</p><p><b>%4</b> %5</p><p style='margin-left:12px'>%6</p>")
        .arg(e.title, tr("What am I looking at?"), e.what, tr("What to look for:"), e.lookFor, e.formula);
}

const PanelExplanation* explanationForFocus(const QMainWindow* window) {
    auto dockOf = [window](QWidget* w) -> QDockWidget* {
        for (; w; w = w->parentWidget())
            if (auto* d = qobject_cast<QDockWidget*>(w)) return d->parentWidget() == window || d->isFloating() ? d : nullptr;
        return nullptr;
    };
    QDockWidget* d = dockOf(QApplication::focusWidget());
    if (!d) d = dockOf(QApplication::widgetAt(QCursor::pos()));
    // The dock's id is its PanelSpec id (dock_layout.cpp); here it keys the text, never finds the dock.
    return d ? panelExplanation(d->objectName()) : nullptr;
}

void explainDock(QDockWidget* dock) {
    const PanelExplanation* e = panelExplanation(dock->objectName());
    if (!e) return;
    if (dock->widget()) dock->widget()->setWhatsThis(explanationHtml(*e));
    if (qobject_cast<DockTitleBar*>(dock->titleBarWidget())) return;
    auto* bar = new DockTitleBar(dock);
    QObject::connect(bar, &DockTitleBar::helpClicked, dock,
                     [e, bar] { showExplanation(e, bar->mapToGlobal(QPoint(bar->width() / 2, bar->height())), bar); });
    dock->setTitleBarWidget(bar);
}

QAction* installPanelExplanations(QMainWindow* window, QMenu* help) {
    for (QDockWidget* d : window->findChildren<QDockWidget*>()) explainDock(d);
    if (!help) return nullptr;
    QAction* a = new QAction(QObject::tr("&What am I looking at?"), help);
    a->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F1));
    a->setToolTip(QObject::tr("What the focused panel shows, what to look for, and its formula"));
    QObject::connect(a, &QAction::triggered, window, [window] {
        const PanelExplanation* e = explanationForFocus(window);
        QWidget* anchor = window;
        if (QWidget* f = QApplication::focusWidget()) anchor = f;
        showExplanation(e, anchor->mapToGlobal(QPoint(anchor->width() / 3, anchor->height() / 3)), anchor);
    });
    // Before "About", where people look for help.
    help->insertAction(help->actions().value(0), a);
    return a;
}

}  // namespace studio
