# THIS IS A COMMAND FILE TO RUN TILT
$tilt -StandardInput
InputProjections ts1.ali
OutputFile ts1_rec.mrc
IMAGEBINNED 2
TILTFILE ts1.tlt
THICKNESS 8
RADIAL 0.35 0.035
FalloffIsTrueSigma 1
XAXISTILT 0.0
PERPENDICULAR
MODE 2
FULLIMAGE 8 8
SUBSETSTART 0 0
AdjustOrigin
$if (-e ./savework) ./savework
