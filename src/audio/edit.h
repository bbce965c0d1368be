// SPDX-License-Identifier: GPL-3.0-or-later
// Small in-place edits used when joining clips.
#pragma once

#include "audio/audio.h"

namespace warta::audio {

// Linear fade-in over the first `fade_in` seconds and fade-out over the last
// `fade_out` seconds (each clipped to half the clip), so joins never click.
void applyFades(Audio& audio, double fade_in, double fade_out);

// Multiplies every sample by 10^(gain_db/20).
void applyGain(Audio& audio, double gain_db);

// Largest absolute sample value (linear, 0 for empty audio).
float peak(const Audio& audio);

// If peak(audio) exceeds `ceiling` (linear), scales the whole clip down so it
// does not: a clip is never clipped, only made quieter.
void limitPeak(Audio& audio, float ceiling);

// Root-mean-square of samples [first_frame, first_frame + frame_count) over
// all channels, as a linear value; counts past the end are clipped.
double rms(const Audio& audio, std::size_t first_frame, std::size_t frame_count);

}  // namespace warta::audio
