#pragma once
/// Puts the Exact lab (lab/exact_lab_view.h) into the studio window as a tab behind the weight
/// filters and feeds it every model the window shows and every dataset it opens. For a dataset
/// small enough to enumerate (bars and stripes) its tab is raised: that is what the data is for.
namespace studio {

class MainWindow;
class ExactLabView;

ExactLabView* installExactLab(MainWindow* window);

}  // namespace studio
