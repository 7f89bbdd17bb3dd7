#pragma once
/// How much of the dream panel fits the room it has (dream_panel_layout.cpp chooses):
///   Full     three columns (draw | dream | what the model thinks) over the timeline, every view,
///            the free-energy trace, every control: a large Dream view (1920 x 1080).
///   Stage    the same columns with the secondary views left out (hidden layer, filters, free
///            energy) and a short filmstrip: a wide but short room (the Dream view at 1280 x 720
///            or 1600 x 1000).
///   Compact  two columns, the readout under the dream, the controls' essentials only: a dock
///            beside the training panels.
namespace studio {

enum class Arrangement { Full, Stage, Compact };

}  // namespace studio
