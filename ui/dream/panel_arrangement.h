#pragma once
/// How much of the dream panel fits the room it has (dream_panel_layout.cpp chooses):
///   Full     three columns (draw | dream | what the model thinks) over the timeline, every view,
///            the free-energy trace, every control: a large Dream view (1920 x 1080).
///   Stage    the same columns with the secondary views left out (hidden layer, filters, free
///            energy) and a short filmstrip: a wide but short room (the Dream view at 1280 x 720
///            or 1600 x 1000).
///   Compact  two columns, the readout under the dream, the controls' essentials only: a dock
///            beside the training panels.
///   Mini     what a person needs to watch a drawing dream and nothing else: the canvas with
///            Clear / Random / Noise, the dream, a one-line verdict, Play / Step / Reset and the
///            timeline. The rest (brushes, the filmstrip, tempering, Dream a K) is one key away
///            in the Dream view; shortcuts and the drawing's right-button eraser still work. The
///            Dream tab of the every-panel layout at 1280 x 720 (about 430 x 340).
namespace studio {

enum class Arrangement { Full, Stage, Compact, Mini };

/// Compact and Mini leave out the secondary controls and views.
inline bool isSmall(Arrangement a) { return a == Arrangement::Compact || a == Arrangement::Mini; }

}  // namespace studio
