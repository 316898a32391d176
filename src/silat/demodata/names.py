"""Indonesian names, businesses and streets for generated applicants."""

FIRST_M = ("Agus Ahmad Andi Arif Bambang Budi Dedi Dimas Eko Fajar Hadi Hendra Irfan Joko "
           "Kurniawan Lukman Muhammad Nanang Rizki Rudi Slamet Sutrisno Taufik Teguh Wahyu "
           "Yusuf Yoga Bayu Ilham Rahmat").split()
FIRST_F = ("Ani Ayu Dewi Dian Endang Fitri Indah Intan Kartika Lestari Lina Maya Nur Putri "
           "Rina Rini Sari Siti Sri Wati Wulan Yuni Ratna Melati Nurul Anisa Dwi").split()
LAST = ("Santoso Wijaya Saputra Hidayat Kusuma Pratama Setiawan Nugroho Siregar Simanjuntak "
        "Harahap Nasution Lubis Hutapea Wibowo Gunawan Purnomo Susanto Rahman Hakim Syahputra "
        "Firmansyah Permana Ramadhan Halim Tanjung Sihombing Suryadi Maulana Hasibuan").split()
BUSINESS_FORMS = ("CV", "PT", "UD", "Toko", "Koperasi")
BUSINESS_WORDS = ("Maju Jaya", "Sumber Rejeki", "Berkah Abadi", "Sinar Mandiri", "Karya Utama",
                  "Mitra Sejahtera", "Cahaya Baru", "Bina Usaha", "Tunas Harapan", "Sentosa",
                  "Anugerah", "Makmur", "Putra Bekasi", "Nusantara", "Gemilang", "Lancar Jaya")
BUSINESS_TYPES = ("Perdagangan eceran", "Rumah makan", "Konstruksi", "Pergudangan", "Bengkel",
                  "Salon kecantikan", "Laundry", "Percetakan", "Klinik", "Apotek", "Kos-kosan",
                  "Minimarket", "Kafe", "Angkutan", "Periklanan", "Penginapan")
STREETS = ("Jl. Ahmad Yani", "Jl. Sudirman", "Jl. Juanda", "Jl. Pekayon Raya", "Jl. Kalimalang",
           "Jl. Cut Mutia", "Jl. Chairil Anwar", "Jl. Pramuka", "Jl. Raya Narogong",
           "Jl. Siliwangi", "Jl. KH. Noer Ali", "Jl. Pahlawan", "Jl. Mawar", "Jl. Melati",
           "Jl. Kenanga", "Jl. Cendana", "Jl. Raya Jatiasih", "Jl. Raya Hankam",
           "Jl. Dr. Ratna", "Jl. Agus Salim", "Jl. Bintara Raya", "Jl. Harapan Indah")


def person(rnd):
    female = rnd.random() < 0.45
    first = rnd.choice(FIRST_F if female else FIRST_M)
    return female, f"{first} {rnd.choice(LAST)}"


def business(rnd, owner_name):
    form = rnd.choice(BUSINESS_FORMS)
    words = rnd.choice(BUSINESS_WORDS) if rnd.random() < 0.7 else owner_name.split()[-1] + " " + \
        rnd.choice(BUSINESS_WORDS).split()[0]
    return f"{form} {words}", rnd.choice(BUSINESS_TYPES)


def street_address(rnd):
    return (f"{rnd.choice(STREETS)} No. {rnd.randint(1, 250)}, "
            f"RT {rnd.randint(1, 15):03d}/RW {rnd.randint(1, 20):03d}")
