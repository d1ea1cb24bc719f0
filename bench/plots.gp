# Draws ceiling.png and summary.png from the .dat files report.mjs writes; run in bench/results with
#   gnuplot -e "ceiling_rows=N; summary_rows=M" plots.gp      (a plot whose data has no rows is skipped)
set terminal pngcairo size 1200,480 font "sans,11"
set key top left
set grid

if (ceiling_rows > 0) {
    set output "ceiling.png"
    set multiplot layout 1,2 title "Room fan-out, 2,000 connections in 20 rooms of 100, two instances each"
    set xlabel "published messages/s (each to 100 members)"
    set ylabel "end-to-end p99 latency (ms)"
    set logscale y
    set yrange [1:*]
    plot "ceiling.dat" using 1:2 with linespoints lw 2 pt 7 title "Switchboard", \
         "" using 1:5 with linespoints lw 2 pt 5 title "Socket.IO + redis-adapter", \
         250 with lines dt 2 lc rgb "grey" title "250 ms"
    unset logscale y
    set yrange [0:*]
    set ylabel "server CPU, both instances (% of one core)"
    plot "ceiling.dat" using 1:3 with linespoints lw 2 pt 7 title "Switchboard", \
         "" using 1:6 with linespoints lw 2 pt 5 title "Socket.IO + redis-adapter"
    unset multiplot
}

if (summary_rows > 0) {
    set output "summary.png"
    set title "Side by side (lower is better, except the connect rate)"
    set style data histograms
    set style histogram clustered gap 1
    set style fill solid 0.8 border -1
    set boxwidth 0.9
    set xlabel ""
    set ylabel ""
    set yrange [0:*]
    set xtics nomirror
    set bmargin 4
    plot "summary.dat" using 2:xtic(1) title "Switchboard", "" using 3 title "Socket.IO + redis-adapter"
}
