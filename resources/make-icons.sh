#!/usr/bin/env bash
# Regenerates every icon the desk and its installers use, from the drawing below.
# Needs Debian's imagemagick (ImageMagick 6) and icnsutils (png2icns). The outputs are committed;
# run this only after changing the drawing: `bash resources/make-icons.sh`.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The app icon at 1024 px: a speech bubble on a rounded indigo→teal square.
convert -size 1024x1024 gradient:'#4f46e5'-'#0d9488' "$work/grad.png"
convert -size 1024x1024 xc:none -fill white -draw "roundrectangle 64,64 960,960 200,200" "$work/mask.png"
convert "$work/grad.png" "$work/mask.png" -alpha off -compose CopyOpacity -composite "$work/bg.png"
convert "$work/bg.png" -fill white -stroke none \
  -draw "roundrectangle 232,270 792,650 96,96" -draw "polygon 330,620 330,790 480,640" \
  -fill '#4f46e5' -draw "circle 372,460 372,512" -draw "circle 512,460 512,512" -draw "circle 652,460 652,512" \
  icon.png

# Linux (electron-builder reads a folder of NxN.png), and every size the other targets derive from.
mkdir -p icons
for size in 16 24 32 48 64 128 256 512 1024; do
  convert icon.png -filter Lanczos -resize "${size}x${size}" "icons/${size}x${size}.png"
done
# Windows: one .ico with the sizes Explorer and the taskbar ask for.
convert icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/128x128.png icons/256x256.png icon.ico
# macOS: .icns with 16…1024 (png2icns takes the sizes it knows).
png2icns icon.icns icons/16x16.png icons/32x32.png icons/48x48.png icons/128x128.png icons/256x256.png icons/512x512.png icons/1024x1024.png >/dev/null

# Tray: coloured on Windows and Linux; a black "template" glyph on macOS (the menu bar tints it).
mkdir -p tray
convert icon.png -filter Lanczos -resize 16x16 tray/tray.png
convert icon.png -filter Lanczos -resize 32x32 tray/tray@2x.png
convert -size 1024x1024 xc:none -fill black -stroke none \
  -draw "roundrectangle 112,180 912,720 150,150" -draw "polygon 250,680 250,930 470,700" \
  -fill none -stroke none "$work/glyph.png"
convert "$work/glyph.png" \( -size 1024x1024 xc:none -fill white -draw "circle 312,450 312,530" -draw "circle 512,450 512,530" -draw "circle 712,450 712,530" \) \
  -compose DstOut -composite "$work/template.png"
convert "$work/template.png" -filter Lanczos -resize 16x16 tray/trayTemplate.png
convert "$work/template.png" -filter Lanczos -resize 32x32 tray/trayTemplate@2x.png

# Windows taskbar overlay: the unread count on a red disc (1…9, then 9+).
mkdir -p badges
for label in 1 2 3 4 5 6 7 8 9 9+; do
  name=$([ "$label" = "9+" ] && echo 9plus || echo "$label")
  point=$([ "$label" = "9+" ] && echo 17 || echo 22)
  convert -size 32x32 xc:none -fill '#dc2626' -draw "circle 16,16 16,1" \
    -fill white -font DejaVu-Sans-Bold -pointsize "$point" -gravity center -annotate +0+1 "$label" "badges/badge-${name}.png"
done
