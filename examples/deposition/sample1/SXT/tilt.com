# Command file to run Tilt
#
####CreatedVersion#### 4.11.12
$tilt -StandardInput
InputProjections ts1.ali
OutputFile ts1_rec.mrc
IMAGEBINNED 2
TILTFILE ts1.tlt
THICKNESS 8
RADIAL 0.35 0.035
PERPENDICULAR
MODE 2
$if (-e ./savework) ./savework
